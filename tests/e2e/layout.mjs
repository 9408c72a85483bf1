// What the phone tests measure of a page, in any engine (Playwright's
// evaluate, WebDriver's executeScript): a function that runs in the page.

/// What a phone shows of the page: whether it scrolls sideways, and the
/// sizes of the touch targets (Run, Stop, the rung checkboxes' labels).
export const phoneLayout = () => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { w: Math.round(r.width), h: Math.round(r.height) }; };
  const buttons = [...document.querySelectorAll('.actions button')].filter((b) => /^(Run|Stop)$/.test(b.textContent.trim()));
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    targets: [
      ...buttons.map((b) => ({ what: b.textContent.trim(), ...box(b) })),
      ...[...document.querySelectorAll('label.rung')].map((l) => ({ what: l.textContent.trim(), ...box(l) })),
    ],
    chart: [...document.querySelectorAll('.chart svg')].map((s) => box(s).w),
  };
};
