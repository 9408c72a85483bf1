// <lanes-widget>: one line of HTML puts a live Lanes benchmark in a page.
//
//   <script src="https://LANES-SITE/js/widget.js" defer></script>
//   <lanes-widget op="add" size="1000000" dtype="f32" variants="js-array,simd"></lanes-widget>
//
// A classic script (no CORS needed to load it from another origin). Each
// element becomes a sandboxed iframe of the site's embed.html, configured by
// the element's attributes (the permalink's parameters, plus theme and
// autorun). The frame reports its height with postMessage; only messages
// from that frame's window and the site's origin, in the one expected
// shape, are read.
(() => {
  const script = document.currentScript;
  if (!script || !script.src) return;
  // The site is the folder above js/.
  const site = new URL('../', script.src);
  const PARAMS = ['chapter', 'op', 'strategy', 'dtype', 'size', 'variants', 'repeats', 'budget', 'threads', 'theme', 'autorun'];
  const MIN_HEIGHT = 120;
  const MAX_HEIGHT = 4000;

  class LanesWidget extends HTMLElement {
    connectedCallback() {
      if (this.frame) return;
      const query = new URLSearchParams();
      for (const name of PARAMS) {
        const value = this.getAttribute(name);
        if (value !== null) query.set(name, value);
      }
      const frame = document.createElement('iframe');
      frame.src = new URL(`embed.html?${query}`, site).href;
      frame.title = this.getAttribute('title') || 'Lanes: a benchmark that runs on your device';
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox');
      frame.setAttribute('loading', 'lazy');
      frame.style.cssText = `display:block;width:100%;border:0;height:${MIN_HEIGHT * 3}px`;
      this.frame = frame;
      this.listener = (event) => {
        if (event.source !== frame.contentWindow || event.origin !== site.origin) return;
        const data = event.data;
        if (!data || typeof data !== 'object' || data.type !== 'lanes:height') return;
        const h = data.height;
        if (typeof h !== 'number' || !Number.isFinite(h)) return;
        frame.style.height = `${Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(h)))}px`;
      };
      window.addEventListener('message', this.listener);
      this.replaceChildren(frame);
    }

    disconnectedCallback() {
      if (this.listener) window.removeEventListener('message', this.listener);
      this.frame = null;
    }
  }

  if (!customElements.get('lanes-widget')) customElements.define('lanes-widget', LanesWidget);
})();
