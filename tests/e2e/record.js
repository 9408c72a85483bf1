// The recorder of the WebKit tests: WebKitWebDriver has no console-log
// endpoint and no BiDi, so the test server (`cargo xtask serve --static MODE
// --record`) adds this script to every HTML page it serves, before the
// page's own, and the tests read what it kept. It keeps page errors,
// unhandled rejections, console.error calls and Content-Security-Policy
// violations in sessionStorage, so that a reload (the service worker's)
// keeps them. It changes nothing else; the site never ships it.
(() => {
  const KEY = '__lanes_record';
  const keep = (kind, text) => {
    try {
      const all = JSON.parse(sessionStorage.getItem(KEY) || '[]');
      all.push({ kind, text: String(text), page: location.pathname + location.search });
      sessionStorage.setItem(KEY, JSON.stringify(all));
    } catch {
      // No storage (a sandboxed frame): nothing to keep it in.
    }
  };
  addEventListener('error', (e) => keep('error', e.error?.stack || e.message));
  addEventListener('unhandledrejection', (e) => keep('rejection', e.reason?.stack || e.reason));
  document.addEventListener('securitypolicyviolation', (e) =>
    keep('csp', `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
  const error = console.error.bind(console);
  console.error = (...args) => {
    keep('console', args.map((a) => (a instanceof Error ? a.stack : a)).join(' '));
    error(...args);
  };
  // What the tests call: everything kept, and (with clear) forgotten.
  window.__lanesRecorded = (clear = false) => {
    const all = JSON.parse(sessionStorage.getItem(KEY) || '[]');
    if (clear) sessionStorage.removeItem(KEY);
    return all;
  };
})();
