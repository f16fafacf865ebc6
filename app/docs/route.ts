export const dynamic = 'force-static';

const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>WaGo API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json"></script>
    <script>
      document.getElementById('api-reference').dataset.configuration = JSON.stringify({
        withDefaultFonts: false,
        hideClientButton: false,
        // Offline product: no hosted tools, AI or sharing features.
        showDeveloperTools: 'never',
        showToolbar: 'never',
        mcp: { disabled: true },
        agent: { disabled: true },
        metaData: { title: 'WaGo API reference' },
      });
    </script>
    <script src="/docs/assets/standalone.js"></script>
  </body>
</html>`;

/** The API reference page: Scalar rendering /openapi.json, served from the installed package (no CDN). */
export function GET() {
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
