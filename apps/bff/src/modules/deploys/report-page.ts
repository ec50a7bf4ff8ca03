const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The report as a printable page: the Markdown itself, preformatted, so what prints is exactly what
 * downloads (no second renderer to keep in step).
 */
export function reportPage(markdown: string): string {
  const title = escapeHtml(markdown.split('\n')[0]?.replace(/^#\s*/, '') ?? 'Deployment report');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#111}pre{white-space:pre-wrap;font:13px/1.5 ui-monospace,monospace}@media print{body{margin:0}}</style>
</head><body><pre>${escapeHtml(markdown)}</pre></body></html>`;
}
