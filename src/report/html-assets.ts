// The stylesheet and script inlined into the HTML report. They are constants so the report's
// Content-Security-Policy can allow exactly them by hash (CSP Level 3 hash sources), with no
// 'unsafe-inline': even if escaping failed somewhere, an injected script would not run.

export const HTML_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--critical:#a40e26;--high:#d1242f;--medium:#9a6700;--low:#0969da;--info:#59636e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--card:#151b23;--critical:#ff7b72;--high:#f85149;--medium:#d29922;--low:#58a6ff;--info:#9198a1}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:70rem;padding:1.5rem;font:15px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0 0 .25rem}
.meta{color:var(--muted);margin:0 0 1rem;padding:0;list-style:none}
.score{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;padding:1rem;background:var(--card);border:1px solid var(--line);border-radius:6px}
.score .overall{font-size:2rem;font-weight:700}
.score table{border-collapse:collapse}.score td{padding:0 .5rem}
fieldset.filters{border:1px solid var(--line);border-radius:6px;margin:1rem 0;display:flex;flex-wrap:wrap;gap:1rem}
.finding{border:1px solid var(--line);border-left-width:4px;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0;background:var(--card)}
.finding[data-severity=critical]{border-left-color:var(--critical)}.finding[data-severity=high]{border-left-color:var(--high)}
.finding[data-severity=medium]{border-left-color:var(--medium)}.finding[data-severity=low]{border-left-color:var(--low)}
.finding[data-severity=info]{border-left-color:var(--info)}
.sev{font-weight:700;text-transform:uppercase;font-size:.8rem;margin-right:.5rem}
.sev-critical{color:var(--critical)}.sev-high{color:var(--high)}.sev-medium{color:var(--medium)}
.sev-low{color:var(--low)}.sev-info{color:var(--info)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.5rem;font-size:13px}
button{font:inherit;font-size:.8rem}
[hidden]{display:none!important}
`;

export const HTML_SCRIPT = `
(function () {
  'use strict';
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter-severity]'));
  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.getAttribute('data-filter-severity')] = box.checked; });
    var total = 0;
    document.querySelectorAll('section.category').forEach(function (section) {
      var visible = 0;
      section.querySelectorAll('article.finding').forEach(function (finding) {
        var on = shown[finding.getAttribute('data-severity')] === true;
        finding.hidden = !on;
        if (on) visible += 1;
      });
      section.hidden = visible === 0;
      var count = section.querySelector('.visible-count');
      if (count) count.textContent = String(visible);
      total += visible;
    });
    var empty = document.getElementById('no-match');
    if (empty) empty.hidden = total !== 0 || document.querySelectorAll('article.finding').length === 0;
  }
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy'));
      if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent || '');
    });
  });
  apply();
})();
`;
