// The report as a printable page, rendered from the very Markdown that downloads (one content, two
// forms) by a real Markdown renderer: real tables, headings, lists. Report text carries what people
// typed (sign-off comments, release notes, cancel reasons), so raw HTML in it is shown as text and
// only plain links are kept. Emoji are dropped from the page: every one stands beside its word, and
// printers without an emoji font print them as empty boxes.
import { Marked, type Tokens } from 'marked';

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const safeHref = (href: string) => /^(https?:|mailto:)/i.test(href.trim());

const renderer = new Marked({ gfm: true, breaks: false, async: false });
renderer.use({
  renderer: {
    // Raw HTML in the Markdown (someone's comment) is text, never markup.
    html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      return safeHref(token.href) ? `<a href="${escapeHtml(token.href)}">${text}</a>` : text;
    },
    image: (token: Tokens.Image) => escapeHtml(token.text),
  },
});

/** Pictographs (✅ ❌ ⏳ ⬜ …) and their variation selectors, with the space after them. */
const emoji = /(?:\p{Extended_Pictographic}\uFE0F?)+\s?/gu;

/** The Markdown cut at its second-level headings: the summary first, then one part per section. */
function sections(markdown: string): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ') && current.length > 0) {
      parts.push(current.join('\n'));
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) parts.push(current.join('\n'));
  return parts;
}

const styles = `
:root{color-scheme:light}
body{font:13px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#111}
h1{font-size:1.5rem;margin:0 0 .75rem}
h2{font-size:1.15rem;margin:0 0 .5rem;padding-bottom:.2rem;border-bottom:2px solid #222}
section{margin-bottom:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:12px}
th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#eee}
tr{break-inside:avoid}
code{font:12px/1.4 ui-monospace,monospace;background:#f3f3f3;padding:0 .2rem;overflow-wrap:anywhere}
ul{padding-left:1.25rem}
a{color:#1a4b8c}
@media screen and (max-width:40rem){
  table{display:block;overflow-x:auto}
}
@page{size:A4;margin:14mm}
@media print{
  body{margin:0;max-width:none;padding:0}
  section{margin:0}
  section+section{break-before:page}
  h2{break-after:avoid}
  a{color:inherit;text-decoration:none}
  th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}
}`;

/** The printable page of a report: one section a page where it fits, the same words as the Markdown. */
export function reportPage(markdown: string): string {
  const title = escapeHtml(markdown.split('\n')[0]?.replace(/^#\s*/, '') ?? 'Deployment report');
  const body = sections(markdown.replace(emoji, ''))
    .map((part) => `<section>${renderer.parse(part) as string}</section>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${styles}</style>
</head><body>${body}</body></html>`;
}
