// Output encoding per target language. Findings carry attacker-controlled text (response bodies,
// headers, spec strings), so every renderer encodes for its own context (CWE-79, CWE-116, CWE-150).

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] as string);
}

// XML 1.0 section 2.2: only tab, LF, CR and U+0020 upwards (minus surrogates, U+FFFE, U+FFFF) are
// characters at all; even `&#1;` is not well-formed. Such code points are written as visible `\uXXXX`
// text instead, and lone surrogates (broken UTF-16) the same way.
function isXmlChar(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function visible(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escapes text for XML content and double- or single-quoted attributes. */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (!isXmlChar(code)) out += visible(code);
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    // Attribute-value normalisation would turn raw tab/LF/CR into spaces (XML 1.0 section 3.3.3).
    else if (code === 0x09 || code === 0x0a || code === 0x0d) out += `&#${code};`;
    else out += ch;
  }
  return out;
}

/**
 * Makes untrusted text safe to print on a terminal: C0/C1 control characters (ANSI escapes can
 * rewrite the screen or set the window title, CWE-150) and Unicode bidi overrides ("Trojan Source",
 * CVE-2021-42574) become visible `\uXXXX`. Newlines and tabs are kept only when `multiline`.
 */
export function terminalSafe(text: string, multiline = false): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    const keep = multiline && (code === 0x0a || code === 0x09);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    out += !keep && (control || bidi) ? visible(code) : ch;
  }
  return out;
}

/** Markdown inline text: escapes the characters that start markup, and HTML, which GFM renders. */
export function escapeMarkdown(text: string): string {
  return (
    terminalSafe(text)
      // Inline markup: code, emphasis, links and images, tables, strikethrough, autolinks.
      .replace(/[\\`*_[\]()|~>]/g, (ch) => `\\${ch}`)
      // Block markup only counts at the start of a line: headings, lists, ordered lists.
      .replace(/^[#+-]/, (m) => `\\${m}`)
      .replace(/^(\d+)([.)])/, (_m, digits: string, mark: string) => `${digits}\\${mark}`)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
  );
}

/** A fenced code block whose fence is longer than any backtick run inside (CommonMark 4.5). */
export function markdownFence(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${terminalSafe(text, true)}\n${fence}`;
}
