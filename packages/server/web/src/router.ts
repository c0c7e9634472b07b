import { useEffect, useState } from 'preact/hooks';

// Hash routes (`#/payouts/dsb_…`): the server serves one page at `/` and needs no fallback route.

export type Route =
  | { page: 'overview' }
  | { page: 'payouts'; query: URLSearchParams }
  | { page: 'payout'; id: string }
  | { page: 'stage' };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] === 'payouts' && parts[1] !== undefined) return { page: 'payout', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'payouts') return { page: 'payouts', query: new URLSearchParams(search) };
  if (parts[0] === 'stage') return { page: 'stage' };
  return { page: 'overview' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(hash: string): void {
  location.hash = hash;
}
