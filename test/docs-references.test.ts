// Docs never point outside the repository. A clone has no specification folder and no shared folder
// beside it, so a tracked file may not send a reader there: no path into the shared folder, no path
// into a specification folder the repository lacks, every Markdown file name a file mentions is a file
// of the repository, and every relative link of a Markdown file resolves.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && existsSync(join(REPO, f)));
const trackedSet = new Set(tracked);
const trackedNames = new Set(tracked.map((f) => basename(f)));

/** A tracked file, or a folder holding one. */
function inRepository(path: string): boolean {
  const p = normalize(path).split('\\').join('/').replace(/\/$/, '');
  return trackedSet.has(p) || tracked.some((f) => f.startsWith(`${p}/`));
}

/** Every tracked text file but the lockfile (generated, and full of registry URLs). */
const files = tracked
  .filter((f) => f !== 'package-lock.json')
  .map((f) => ({ path: f, text: readFileSync(join(REPO, f), 'utf8') }));

/** Text without URLs: a link to Ingo's site is not a path in the repository. */
const withoutUrls = (text: string) => text.replace(/\b[a-z][a-z+.-]*:\/\/\S+/gi, '');

function findAll(pattern: RegExp, keep: (match: string, file: string) => boolean): string[] {
  return files.flatMap(({ path, text }) =>
    [...withoutUrls(text).matchAll(pattern)]
      .map((m) => m[0])
      .filter((m) => !keep(m, path))
      .map((m) => `${path}: ${m}`),
  );
}

describe('docs and comments', () => {
  it('read every tracked file (the checks below look at something)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.path === 'docs/ingo-contract.md')).toBe(true);
  });

  it('never name the shared folder beside the repository', () => {
    const outside = `..${'/'}shared`;
    expect(files.filter(({ text }) => text.includes(outside)).map((f) => f.path)).toEqual([]);
  });

  it('name no path under a spec folder that the repository lacks', () => {
    const specPath = /(?<![\w.@-])spec\/[\w./-]*/g;
    expect(findAll(specPath, (match) => inRepository(match.replace(/[.)]+$/, '')))).toEqual([]);
  });

  it('name only Markdown files that exist in the repository', () => {
    const markdownName = /[\w./-]*\b[\w-]+\.md\b/g;
    const exists = (match: string, file: string) => {
      if (!match.includes('/')) return trackedNames.has(match);
      return inRepository(join(dirname(file), match)) || inRepository(match);
    };
    expect(findAll(markdownName, exists)).toEqual([]);
  });

  it('link, in Markdown, only to files and folders of the repository', () => {
    const broken = files
      .filter((f) => f.path.endsWith('.md'))
      .flatMap(({ path, text }) =>
        [...text.matchAll(/\]\(([^)\s]+)\)/g)]
          .map((m) => m[1]!)
          .filter((target) => !/^([a-z][a-z+.-]*:|#)/i.test(target))
          .filter((target) => {
            const resolved = relative(REPO, join(REPO, dirname(path), target.replace(/#.*$/, '')));
            return resolved.startsWith('..') || !inRepository(resolved);
          })
          .map((target) => `${path}: ${target}`),
      );
    expect(broken).toEqual([]);
  });
});
