/**
 * The browser the tests and the Lighthouse audit launch: Debian's Chromium package (nothing is
 * downloaded), with flags that keep it quiet, offline and reproducible in a container.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
