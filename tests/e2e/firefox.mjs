// Headless Firefox ESR (Debian's /usr/bin/firefox-esr) through Playwright's
// WebDriver BiDi backend (channel 'moz-firefox'): Playwright's own Firefox
// is a patched build it would download, which this machine cannot. Two gaps
// of ESR 153's BiDi are bridged below, in the WebSocket Playwright bundles
// (so playwright-core stays pinned in package.json).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { firefox } from 'playwright-core';

export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

// Playwright sends emulation.setMediaFeaturesOverride for every new page;
// ESR's BiDi answers "unknown command", which fails newPage(). It is
// answered here with success (so colorScheme emulation does nothing).
const UNSUPPORTED = new Set(['emulation.setMediaFeaturesOverride']);
function shimBidi() {
  const require = createRequire(import.meta.url);
  const lib = path.join(path.dirname(require.resolve('playwright-core')), 'lib', 'utilsBundle.js');
  const { ws } = require(lib);
  if (ws.prototype.__ffShim) return;
  const send = ws.prototype.send;
  ws.prototype.send = function (data, ...rest) {
    if (typeof data === 'string' && data.includes('"emulation.')) {
      let msg;
      try { msg = JSON.parse(data); } catch { msg = null; }
      if (msg && UNSUPPORTED.has(msg.method)) {
        const reply = JSON.stringify({ type: 'success', id: msg.id, result: {} });
        setImmediate(() => this.emit('message', Buffer.from(reply), false));
        return;
      }
    }
    return send.call(this, data, ...rest);
  };
  // Firefox ESR's browsingContext.downloadWillBegin/downloadEnd carry no
  // `download` id, and `navigation` is null for blob:/anchor downloads, so
  // Playwright ignores them and waitForEvent('download') times out. Give each
  // such download an id, paired by context + url.
  const ids = new Map();
  let next = 0;
  const emit = ws.prototype.emit;
  ws.prototype.emit = function (event, data, ...rest) {
    if (event === 'message' && Buffer.isBuffer(data) && data.includes('"browsingContext.download')) {
      const msg = JSON.parse(data.toString());
      const p = msg.params;
      if (p && !p.download && !p.navigation) {
        const key = `${p.context} ${p.url}`;
        if (msg.method === 'browsingContext.downloadWillBegin') {
          p.download = `ff-download-${++next}`;
          ids.set(key, p.download);
        } else if (msg.method === 'browsingContext.downloadEnd') {
          p.download = ids.get(key) ?? `ff-download-${++next}`;
          ids.delete(key);
        }
        data = Buffer.from(JSON.stringify(msg));
      }
    }
    return emit.call(this, event, data, ...rest);
  };
  ws.prototype.__ffShim = true;
}

// Prefs on top of Playwright's BiDi defaults, for a machine with no network.
export const FIREFOX_PREFS = {
  'app.update.enabled': false,
  'app.update.auto': false,
  'browser.aboutwelcome.enabled': false,
  'browser.discovery.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.search.geoip.url': '',
  'browser.topsites.contile.enabled': false,
  'captivedetect.canonicalURL': '',
  'network.captive-portal-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.trr.mode': 5,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'extensions.systemAddon.update.enabled': false,
  'extensions.blocklist.enabled': false,
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'identity.fxaccounts.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.backup.enabled': false,
};

/// Like `launch` in browser.mjs, for Firefox.
export async function launchFirefox(extra = {}) {
  shimBidi();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lanes-ff-'));
  const context = await firefox.launchPersistentContext(profile, {
    channel: 'moz-firefox',
    executablePath: FIREFOX,
    headless: true,
    firefoxUserPrefs: FIREFOX_PREFS,
    // Refuse any non-loopback connection; also lets the Remote Settings
    // server pref above take effect in a release build.
    env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    ...extra,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
