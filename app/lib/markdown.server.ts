import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

/**
 * Markdown written by people (proposal bodies, meeting minutes) as safe HTML: no scripts,
 * styles, images, raw attributes or event handlers; links only to http(s) and mailto, and they
 * open safely (a new tab, no opener, no referrer, nofollow). `rel` and `target` must stay in
 * the allowed attributes, or the sanitiser strips what the link transform adds; whatever the
 * author wrote there is overwritten by the transform.
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: true });
  return sanitizeHtml(html, {
    allowedTags: [
      "p",
      "br",
      "strong",
      "em",
      "del",
      "ul",
      "ol",
      "li",
      "blockquote",
      "code",
      "pre",
      "h2",
      "h3",
      "h4",
      "a",
      "table",
      "thead",
      "tbody",
      "tr",
      "th",
      "td",
      "hr",
    ],
    allowedAttributes: { a: ["href", "rel", "target"] },
    allowedSchemes: ["http", "https", "mailto"],
    transformTags: {
      h1: "h2",
      a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }),
    },
  });
}
