import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { MessageMarkdown } from "./markdown";

const NAMES: Record<string, string> = { u_alice: "Alice", u_bob: "Bob" };
const nameOf = (id: string) => NAMES[id];

const WRAPPER = /^<div class="[^"<>]*">([\s\S]*)<\/div>$/;

/** The rendered body without the component's own wrapper, so any other <div> is a leak. */
function render(text: string, selfId: string | null = "u_bob"): string {
  const html = renderToStaticMarkup(createElement(MessageMarkdown, { text, nameOf, selfId }));
  const match = WRAPPER.exec(html);
  if (!match) throw new Error(`unexpected wrapper: ${html}`);
  return match[1]!;
}

const XSS_CORPUS = [
  "<script>alert(1)</script>",
  "hello <script>alert(1)</script> world",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  '<img src=x onerror="alert(1)">',
  "<img src=x onerror=alert(1)//",
  "![alt](https://evil.example/x.png)",
  "![x](javascript:alert(1))",
  '![x](https://evil.example/x.png "title" onerror=alert(1))',
  "[click](javascript:alert(1))",
  "[click](JaVaScRiPt:alert(1))",
  "[click]( javascript:alert(1))",
  "[click](java\tscript:alert(1))",
  "[click](&#106;avascript:alert(1))",
  "[click](javascript&#58;alert(1))",
  "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[click](vbscript:msgbox(1))",
  "[click](mention:u_alice)",
  "<javascript:alert(1)>",
  "<data:text/html,<script>alert(1)</script>>",
  "<vbscript:msgbox(1)>",
  "javascript:alert(1)",
  "[ref]: javascript:alert(1)\n\n[link][ref]",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;img src=x onerror=alert(1)&#62;",
  '<svg onload="alert(1)"><circle r="10"/></svg>',
  "<svg><script>alert(1)</script></svg>",
  '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
  '<div onmouseover="alert(1)">hover</div>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  "<style>body{display:none}</style>",
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  "**<img src=x onerror=alert(1)>**",
  "`<script>alert(1)</script>`",
  "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
  '[x](https://ok.example "a" onmouseover="alert(1)")',
  '[x](https://ok.example" onmouseover="alert(1))',
  "<@u_alice onerror=alert(1)>",
  "<@\"><img src=x onerror=alert(1)>",
  "- [ ] <input onfocus=alert(1) autofocus>",
  "| a | b |\n| - | - |\n| <img src=x onerror=alert(1)> | c |",
  "footnote[^1]\n\n[^1]: <script>alert(1)</script>",
];

describe("MessageMarkdown: hostile input", () => {
  it.each(XSS_CORPUS)("renders %j without executable markup", (input) => {
    const html = render(input);
    // React escapes "<" in text, so every "<" left in the output opens a real tag.
    const tags = html.match(/<[^>]*>/g) ?? [];
    expect(html).not.toMatch(/<script/i);
    expect(tags.filter((tag) => /\son\w+\s*=/i.test(tag))).toEqual([]);
    expect(tags.filter((tag) => /\s(?:href|src|action|data|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|data|vbscript):/i.test(tag))).toEqual([]);
    expect(tags.filter((tag) => /\ssrc\s*=/i.test(tag))).toEqual([]);
    expect(html).not.toMatch(/<(?:img|iframe|svg|math|object|embed|form|input|style|div)\b/i);
    for (const tag of tags) expect(tag).toMatch(/^<\/?(?:p|strong|em|code|pre|a|br|del|span)\b/);
  });

  it("keeps the text of a blocked link but drops its target", () => {
    const html = render("[click me](javascript:alert(1))");
    expect(html).toContain("click me");
    expect(html).not.toContain("<a");
  });

  it("shows raw HTML as the text that was typed", () => {
    expect(render("use <b>bold</b> here")).toContain("use &lt;b&gt;bold&lt;/b&gt; here");
    expect(render("<script>alert(1)</script> after")).toContain("&lt;script&gt;alert(1)&lt;/script&gt; after");
    expect(render("<div>\nblock\n</div>")).toMatch(/^<p[^>]*>&lt;div&gt;<br\/>\s*block<br\/>\s*&lt;\/div&gt;<\/p>$/);
  });

  it("shows escaped entities as text", () => {
    expect(render("&lt;script&gt;")).toContain("&lt;script&gt;");
  });

  it("does not turn a hand-written mention: link into a mention", () => {
    const html = render("[boss](mention:u_alice)");
    expect(html).not.toContain("data-mention");
    expect(html).not.toContain("mention:");
    expect(html).toContain("boss");
  });
});

describe("MessageMarkdown: the supported subset", () => {
  it("renders bold, italics, strikethrough and inline code", () => {
    const html = render("**bold** _it_ ~~gone~~ `x < y`");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>it</em>");
    expect(html).toContain("<del>gone</del>");
    expect(html).toMatch(/<code[^>]*>x &lt; y<\/code>/);
  });

  it("renders code blocks with their content escaped", () => {
    const html = render("```\nconst a = '<b>';\n```");
    expect(html).toMatch(/<pre[^>]*><code[^>]*>const a = &#x27;&lt;b&gt;&#x27;;\n<\/code><\/pre>/);
  });

  it("turns line breaks into <br>", () => {
    expect(render("one\ntwo")).toMatch(/one<br\/>\s*two/);
  });

  it("makes http, https and mailto links clickable in a new tab without opener or referrer", () => {
    for (const [input, href] of [
      ["[site](https://example.com/a?b=1)", "https://example.com/a?b=1"],
      ["see http://example.org now", "http://example.org"],
      ["www.example.net", "http://www.example.net"],
      ["<mailto:someone@example.com>", "mailto:someone@example.com"],
      ["someone@example.com", "mailto:someone@example.com"],
    ] as const) {
      const html = render(input);
      expect(html).toContain(`href="${href}"`);
      expect(html).toContain('target="_blank"');
      expect(html).toContain('rel="noopener noreferrer nofollow"');
    }
  });

  it("drops relative and other-scheme links", () => {
    for (const input of ["[x](/settings)", "[x](ftp://example.com)", "[x](file:///etc/passwd)"]) {
      expect(render(input)).not.toContain("<a");
    }
  });

  it("unwraps headings, lists and quotes to their text", () => {
    const html = render("# Title\n\n> quoted\n\n- item");
    expect(html).not.toMatch(/<(?:h1|blockquote|ul|li)\b/);
    expect(html).toContain("Title");
    expect(html).toContain("quoted");
    expect(html).toContain("item");
  });

  it("renders mentions as names, the current user's more strongly, unknown ids as @unknown", () => {
    const html = render("hi <@u_alice> and <@u_bob> and <@u_ghost>", "u_bob");
    expect(html).toMatch(/<span data-mention="u_alice"[^>]*>@Alice<\/span>/);
    expect(html).toMatch(/<span data-mention="u_bob" data-self="true"[^>]*>@Bob<\/span>/);
    expect(html).toMatch(/<span data-mention="u_ghost"[^>]*>@unknown<\/span>/);
    expect(html).not.toContain("<@");
    expect(html).not.toContain("<a");
  });

  it("leaves mention tokens inside code alone", () => {
    expect(render("`<@u_alice>`")).toContain("&lt;@u_alice&gt;");
  });

  it("escapes a member name that looks like markup", () => {
    const html = renderToStaticMarkup(
      createElement(MessageMarkdown, { text: "<@u_x>", nameOf: () => "<img src=x onerror=alert(1)>", selfId: null }),
    );
    expect(html).toContain("@&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toMatch(/<img/);
  });
});
