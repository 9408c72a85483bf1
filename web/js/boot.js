// Starts the playground's wasm. Trunk writes the names of the app's script
// and wasm (with their content hashes) into this tag's data attributes (see
// `pattern_script` in Trunk.toml) instead of an inline script, so the page
// runs under a Content-Security-Policy without 'unsafe-inline'.

const tag = document.querySelector('script[data-lanes-app]');
const { default: init } = await import(new URL(tag.dataset.js, document.baseURI).href);
await init({ module_or_path: new URL(tag.dataset.wasm, document.baseURI) });
