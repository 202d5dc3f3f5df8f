/**
 * Hostile text for e2e/xss.spec.ts: classic XSS payloads. Each one, if it ever became markup, would
 * leave a trace the spec looks for: `window.__xss` assigned, a dialog (alert/confirm/prompt), an
 * element with a `data-xss` attribute or an `on*` attribute, a script/iframe/object, a script URL,
 * or a request for an `xss-probe-…` URL (an injected <img>, <link>, <object>… fetches it even when
 * no script runs). Probe URLs are relative and without a slash, so they survive as file names.
 */

export type XssPayload = {
  id: string;
  text: string;
  /**
   * What a message body shows once rendered (markdown), where that differs from the raw text: entities
   * decoded, a link or emphasis reduced to its text. Compared with whitespace collapsed.
   */
  shown?: string;
  /**
   * The markup a careless pipeline would make of it (markdown without URL or HTML filtering, entities
   * or percent-escapes decoded twice, zero-width characters stripped after validation), when that
   * differs from the raw text; `null` for a payload only a template engine would run. The control
   * test injects this and expects a trace: proof that the payload, and the traps, are live.
   */
  unsafe?: string | null;
};

// `<script>parent.__xss=7</script>` as a data: URL.
const BASE64_SCRIPT = Buffer.from("<script>parent.__xss=7</script>").toString("base64");
const LONG = "A".repeat(3000);

export const XSS_CORPUS: readonly XssPayload[] = [
  { id: "script", text: "<script>window.__xss=1</script>" },
  { id: "img-onerror", text: '<img src=xss-probe-2 onerror="window.__xss=2" data-xss>' },
  { id: "svg-onload", text: "<svg/onload=alert(3) data-xss>" },
  { id: "iframe-srcdoc", text: '<iframe srcdoc="<script>parent.__xss=4</script>" data-xss></iframe>' },
  { id: "a-javascript", text: '<a href="javascript:window.__xss=5" data-xss>click</a>' },
  {
    id: "md-javascript-link",
    text: "[click me](javascript:window.__xss=6)",
    shown: "click me",
    unsafe: '<a href="javascript:window.__xss=6">click me</a>',
  },
  {
    id: "md-data-link",
    text: `[data link](data:text/html;base64,${BASE64_SCRIPT})`,
    shown: "data link",
    unsafe: `<a href="data:text/html;base64,${BASE64_SCRIPT}">data link</a>`,
  },
  { id: "a-data-href", text: '<a href="data:text/html,<script>alert(8)</script>" data-xss>data</a>' },
  { id: "md-image", text: 'see ![pic](xss-probe-9 "onerror=alert(9)") here', shown: "see here", unsafe: 'see <img src="xss-probe-9" alt="pic" title="onerror=alert(9)"> here' },
  { id: "md-image-break-out", text: '![x](xss-probe-10" onerror="window.__xss=10)', unsafe: '<img src="xss-probe-10" onerror="window.__xss=10" alt="x">' },
  {
    id: "named-entities",
    text: "&lt;img src=xss-probe-11 onerror=alert(11)&gt;",
    shown: "<img src=xss-probe-11 onerror=alert(11)>",
    unsafe: "<img src=xss-probe-11 onerror=alert(11)>",
  },
  {
    id: "numeric-entities",
    text: "&#60;script&#62;window.__xss=12&#60;/script&#62;",
    shown: "<script>window.__xss=12</script>",
    unsafe: "<script>window.__xss=12</script>",
  },
  { id: "url-encoded", text: "%3Cscript%3Ewindow.__xss=13%3C%2Fscript%3E", unsafe: "<script>window.__xss=13</script>" },
  { id: "style-expression", text: '<div style="width:expression(alert(14));background:url(javascript:alert(14))" data-xss>css</div>' },
  { id: "template-angular", text: "{{constructor.constructor('window.__xss=15')()}}", unsafe: null },
  { id: "template-other", text: "${alert(16)} #{alert(16)} <%= alert(16) %> {{=alert(16)}}", unsafe: null },
  {
    id: "autolink-break-out",
    text: '<https://example.com/"><img src=xss-probe-17 onerror=alert(17)>>',
    shown: 'https://example.com/"<img src=xss-probe-17 onerror=alert(17)>>',
  },
  { id: "autolink-javascript", text: "<javascript:alert(18)>", shown: "javascript:alert(18)", unsafe: '<a href="javascript:alert(18)">javascript:alert(18)</a>' },
  { id: "gfm-autolink", text: 'www.example.com/"onmouseover="alert(19)"', unsafe: '<a href="http://www.example.com/"onmouseover="alert(19)"">www.example.com</a>' },
  { id: "attr-break-script", text: '"><script>window.__xss=20</script>' },
  { id: "textarea-break", text: "</textarea><script>window.__xss=21</script>" },
  { id: "classic-probe", text: "'';!--\"<XSS data-xss>=&{()}" },
  { id: "mxss-math", text: "<math><mtext><table><mglyph><style><img src=xss-probe-23 onerror=alert(23)>" },
  { id: "details-ontoggle", text: '<details open ontoggle="window.__xss=24" data-xss>' },
  { id: "input-autofocus", text: "<input autofocus onfocus=alert(25) data-xss>" },
  { id: "object-data", text: '<object data="xss-probe-26" data-xss></object>' },
  { id: "rtl-override", text: "\u202Egnp.exe\u202C <b onmouseover=alert(27) data-xss>rtl</b>" },
  {
    id: "zero-width",
    text: "<scr\u200Bipt>window.__xss=28</scr\u200Bipt> [zw](java\u200Bscript:alert(28))",
    shown: "<scr\u200Bipt>window.__xss=28</scr\u200Bipt> zw",
    unsafe: '<script>window.__xss=28</script> <a href="javascript:alert(28)">zw</a>',
  },
  { id: "nested-tags", text: "<<script>script>window.__xss=29<</script>/script>" },
  { id: "mixed-case", text: "<IMG SRC=JaVaScRiPt:alert(30) data-xss><ScRiPt>window.__xss=30</sCrIpT>" },
  { id: "mention-break-out", text: '<@"><img src=xss-probe-31 onerror=alert(31)>' },
  { id: "md-link-attr-break", text: '[link](https://example.com" onclick="alert(32))', unsafe: '<a href="https://example.com" onclick="alert(32)">link</a>' },
  { id: "meta-refresh", text: '<meta http-equiv="refresh" content="0;url=javascript:alert(33)">' },
  { id: "link-stylesheet", text: "<link rel=stylesheet href=xss-probe-34.css>" },
  { id: "form-action", text: '<form action="javascript:alert(35)"><button data-xss formaction="javascript:alert(35)">go</button></form>' },
  {
    id: "code-span",
    text: "`<img src=xss-probe-36 onerror=alert(36)>`",
    shown: "<img src=xss-probe-36 onerror=alert(36)>",
    unsafe: "<code><img src=xss-probe-36 onerror=alert(36)></code>",
  },
  { id: "very-long", text: `${LONG}<img src=xss-probe-37 onerror=alert(37) data-xss>` },
];

/** The markup the control test injects for a payload, or null for a template-engine-only one. */
export function unsafeMarkup(payload: XssPayload): string | null {
  return payload.unsafe === undefined ? payload.text : payload.unsafe;
}

/** Where the payload's text is cut to fit a field that is shorter than it (trimmed as the server does). */
export function fitTo(text: string, maxLength: number): string {
  return text.trim().slice(0, maxLength).trim();
}

/** `a  b\n c` → `a b c`: what text looks like once laid out, for comparing rendered text. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
