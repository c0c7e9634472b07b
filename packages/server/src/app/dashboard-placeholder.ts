/** Served at `/` until the operations dashboard (its own issue) lands. */
export const DASHBOARD_PLACEHOLDER_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>notifykit</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .3em}</style>
</head>
<body>
<h1>notifykit server</h1>
<p>The operations dashboard is not built yet (it comes with its own issue). The server is running:</p>
<ul>
<li><a href="/api/v1/openapi.json">API description (OpenAPI)</a> — every <code>/api/v1</code> call needs <code>Authorization: Bearer &lt;NOTIFYKIT_API_TOKEN&gt;</code></li>
<li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>, <a href="/metrics">/metrics</a></li>
</ul>
</body>
</html>
`;
