import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium by default; FLIGHTDECK_CHROMIUM points elsewhere on other machines. */
export const chromiumPath = process.env.FLIGHTDECK_CHROMIUM ?? '/usr/bin/chromium';
export const isCI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether browser tests can run here. Outside CI a missing browser skips them with a reason;
 * under CI it is a failure, so a broken install can't pass as green.
 */
export function browserAvailability(): { available: boolean; reason: string } {
  if (existsSync(chromiumPath)) return { available: true, reason: '' };
  const reason = `no Chromium at ${chromiumPath} (install Debian's chromium or set FLIGHTDECK_CHROMIUM)`;
  if (isCI) throw new Error(`CI=true but ${reason}`);
  console.warn(`Skipping browser tests: ${reason}`);
  return { available: false, reason };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** A page signed in as the demo user of `role`, as after picking them in the SPA. */
export async function signedInPage(
  browser: Browser,
  app: { url: string; identityCookie(role: 'viewer' | 'lead' | 'ops'): { name: string; value: string } },
  role: 'viewer' | 'lead' | 'ops' = 'viewer',
  viewport = { width: 1400, height: 1000 },
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ ...app.identityCookie(role), url: app.url }]);
  return context.newPage();
}
