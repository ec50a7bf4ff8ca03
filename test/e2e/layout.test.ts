// Evidence 5: every page of the SPA at a phone's width (390 × 844) and a laptop's (1440 × 900).
// Nothing pushes the page sideways, nothing spills out of its card, every action button can be
// scrolled into view and is not clipped or covered, and every navigation entry is reachable.
// The content is the long kind: a deploy held back by NO-GO reasons, a rollback plan open, a job,
// the wrong-account banner (an app of its own). Screenshots of each page at both sizes go to test-results/layout/.
import { mkdirSync } from 'node:fs';
import { buildTestApp, type TestApp } from '@flightdeck/bff/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, launchChromium, signedInPage } from './browser.js';

const { available } = browserAvailability();
const backend = 'credmate-lambda-prod-BackendApiFunction-zeRfK8mebejx';
const viewports = {
  narrow: { width: 390, height: 844 },
  wide: { width: 1440, height: 900 },
} as const;
type Size = keyof typeof viewports;
const navEntries = [
  'Overview',
  'Metrics',
  'Logs',
  'Migrations',
  'Deploys',
  'Rollbacks',
  'Audit',
  'Notifications',
];
const shots = 'test-results/layout';

interface LayoutProblems {
  documentWidth: { scrollWidth: number; clientWidth: number };
  outside: string[];
  hiddenButtons: string[];
  buttons: number;
}

/**
 * Measured in the page: the document's own overflow; every element of the main content that
 * reaches past the viewport or its card (unless a scroll container of its own holds it); every
 * button that, scrolled into view, is not inside the viewport, is clipped by an overflow parent
 * or covered by another element.
 */
async function measure(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}${
        el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''
      } "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const clips = (el: Element) => {
      const style = getComputedStyle(el);
      return style.overflowX !== 'visible' || style.overflowY !== 'visible';
    };
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && rect.width > 1 && rect.height > 1;
    };
    const width = document.documentElement.clientWidth;
    const outside: string[] = [];
    // The SPA's pages have their content in <main>; the printable report is a page of its own.
    const main = document.querySelector('main') ?? document.body;
    // Inside main's padding: content that reaches the window's very edge has eaten the margin.
    const mainBox = main.getBoundingClientRect();
    const mainStyle = getComputedStyle(main);
    const contentLeft = Math.max(0, mainBox.left + parseFloat(mainStyle.paddingLeft));
    const contentRight = Math.min(width, mainBox.right - parseFloat(mainStyle.paddingRight));
    for (const el of [main, ...main.querySelectorAll('*')]) {
      if (!visible(el) || el.closest('.sr-only')) continue;
      const rect = el.getBoundingClientRect();
      // An element inside a scroll container is that container's business: it scrolls.
      let holder: Element | null = el.parentElement;
      let scrolled = false;
      while (holder && holder !== main) {
        if (clips(holder)) scrolled = true;
        holder = holder.parentElement;
      }
      if (scrolled) continue;
      if (el !== main && (rect.left < contentLeft - 1 || rect.right > contentRight + 1)) {
        outside.push(
          `${describe(el)} spans ${Math.round(rect.left)}–${Math.round(rect.right)}, the content ${Math.round(contentLeft)}–${Math.round(contentRight)} of ${width}`,
        );
        continue;
      }
      const card = el.parentElement?.closest('.card');
      if (card) {
        const box = card.getBoundingClientRect();
        if (rect.right > box.right + 1 || rect.left < box.left - 1)
          outside.push(
            `${describe(el)} spans ${Math.round(rect.left)}–${Math.round(rect.right)}, its card ${Math.round(box.left)}–${Math.round(box.right)}`,
          );
      }
    }
    const hiddenButtons: string[] = [];
    const buttons = [...main.querySelectorAll('button, a.button')].filter(visible);
    for (const button of buttons) {
      button.scrollIntoView({ block: 'center', inline: 'center' });
      const rect = button.getBoundingClientRect();
      const problems: string[] = [];
      if (rect.left < -1 || rect.right > innerWidth + 1 || rect.top < -1 || rect.bottom > innerHeight + 1)
        problems.push(`outside the viewport (${Math.round(rect.left)}–${Math.round(rect.right)})`);
      for (let parent = button.parentElement; parent; parent = parent.parentElement) {
        if (!clips(parent)) continue;
        const box = parent.getBoundingClientRect();
        if (
          rect.left < box.left - 1 ||
          rect.right > box.right + 1 ||
          rect.top < box.top - 1 ||
          rect.bottom > box.bottom + 1
        )
          problems.push(`clipped by ${describe(parent)}`);
      }
      const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
      if (hit && hit !== button && !button.contains(hit)) problems.push(`covered by ${describe(hit)}`);
      if (problems.length > 0) hiddenButtons.push(`${describe(button)}: ${problems.join('; ')}`);
    }
    window.scrollTo(0, 0);
    return {
      documentWidth: { scrollWidth: document.documentElement.scrollWidth, clientWidth: width },
      outside,
      hiddenButtons,
      buttons: buttons.length,
    };
  });
}

describe.skipIf(!available)('every page at 390 and 1440 px wide, in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const pages = {} as Record<Size, Page>;
  let deployId: string;
  let jobId: string;

  /** A change as ops; a 503 (the sources have not answered yet) is asked again. */
  const change = async (path: string, body: unknown) => {
    const headers = await app.signIn('ops');
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'idempotency-key': `k-${Math.random().toString(36).slice(2)}`,
        },
        body: JSON.stringify(body),
      });
      if (response.status === 503 && attempt < 20) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return (await response.json()) as { id: string };
    }
  };

  /** Opens `path` at both sizes, waits for what shows the page is there, and checks its layout. */
  async function checkPage(name: string, path: string, ready: (page: Page) => Promise<unknown>) {
    for (const size of Object.keys(viewports) as Size[]) {
      const page = pages[size];
      await page.goto(`${app.url}${path}`);
      await ready(page);
      await page.screenshot({ path: `${shots}/${name}-${size}.png`, fullPage: true });
      const { documentWidth, outside, hiddenButtons } = await measure(page);
      expect(
        { overflow: documentWidth.scrollWidth - documentWidth.clientWidth, outside, hiddenButtons },
        `${name} at ${size}: the page wider than the window, elements past it or their card, buttons one cannot see`,
      ).toEqual({ overflow: 0, outside: [], hiddenButtons: [] });
    }
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    app = await buildTestApp({ deploys: { evaluateMs: 500 } });
    browser = await launchChromium();
    for (const size of Object.keys(viewports) as Size[])
      pages[size] = await signedInPage(browser, app, 'ops', viewports[size]);
    // A deploy held back: its manual items unsigned, the snapshot still being created.
    deployId = (await change('/api/v1/deploys', { release: { name: 'v2.14.0', commit: '4f2a9e1' } })).id;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the navigation: every entry reachable at 390 px, and it leads to its page', async () => {
    for (const size of Object.keys(viewports) as Size[]) {
      const page = pages[size];
      await page.goto(app.url);
      await page.getByTestId('card-alembic').waitFor();
      for (const entry of navEntries) {
        const link = page.locator('header nav').getByRole('link', { name: entry, exact: true });
        const menu = page.getByTestId('nav-menu');
        if ((await menu.count()) > 0 && !(await link.isVisible())) await menu.click();
        expect(await link.isVisible(), `${entry} at ${size}`).toBe(true);
        const box = (await link.boundingBox())!;
        expect(box.x, `${entry} at ${size}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${entry} at ${size}`).toBeLessThanOrEqual(viewports[size].width);
        await link.click();
        await expect.poll(() => link.getAttribute('class')).toContain('active');
      }
      const header = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(header.scrollWidth, size).toBe(header.clientWidth);
      await page.screenshot({ path: `${shots}/navigation-${size}.png` });
    }
  });

  it('the Overview', async () => {
    await checkPage('overview', '/', (page) => page.getByTestId('active-deploy').waitFor());
  });

  it('Metrics', async () => {
    await checkPage('metrics', '/metrics', (page) =>
      expect.poll(() => page.getByTestId('metrics-chart').count(), { timeout: 15_000 }).toBeGreaterThan(0),
    );
  });

  it('Logs', async () => {
    await checkPage('logs', '/logs', (page) =>
      expect.poll(() => page.getByTestId('log-line').count(), { timeout: 15_000 }).toBeGreaterThan(0),
    );
  });

  it('the migration history', async () => {
    await checkPage('migrations', '/migrations', (page) =>
      expect.poll(() => page.getByTestId('revision-row').count(), { timeout: 15_000 }).toBeGreaterThan(0),
    );
  });

  it('the deploy list', async () => {
    await checkPage('deploys', '/deploys', (page) => page.getByTestId(`deploy-row-${deployId}`).waitFor());
  });

  it('a deploy held back by NO-GO reasons', async () => {
    await checkPage('deploy', `/deploys/${deployId}`, async (page) => {
      await expect.poll(() => page.getByTestId('verdict-word').textContent()).toBe('NO-GO');
      await page.getByTestId('verdict-reasons').waitFor();
      await page.getByTestId('item-frontend-commit').waitFor();
    });
  });

  it('the verdict stays in view while the last items are signed at the bottom of the checklist', async () => {
    for (const size of Object.keys(viewports) as Size[]) {
      const page = pages[size];
      await page.goto(`${app.url}/deploys/${deployId}`);
      await page.getByTestId('item-workflows').waitFor();
      // Scrolled to the very bottom, past the checklist.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const verdictSeen = () =>
        page.getByTestId('verdict-word').evaluate((word) => {
          const rect = word.getBoundingClientRect();
          const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
          return {
            scrolled: window.scrollY > 200,
            inView: rect.top >= 0 && rect.bottom <= window.innerHeight,
            onTop: hit === word || word.contains(hit),
            text: word.textContent,
          };
        });
      expect(await verdictSeen(), size).toEqual({ scrolled: true, inView: true, onTop: true, text: 'NO-GO' });
      await page.screenshot({ path: `${shots}/deploy-bottom-${size}.png` });
      // The last sign-off form, scrolled to, is not hidden under it, and the verdict is still there.
      const lastComment = page.locator('[data-testid^="sign-off-comment-"]').last();
      await lastComment.scrollIntoViewIfNeeded();
      expect(
        await lastComment.evaluate((input) => {
          const rect = input.getBoundingClientRect();
          return document.elementFromPoint(rect.left + 5, rect.top + rect.height / 2) === input;
        }),
        size,
      ).toBe(true);
      expect((await verdictSeen()).inView, size).toBe(true);
    }
  });

  it('Rollbacks, with the Lambda plan open', async () => {
    await checkPage('rollbacks', '/rollbacks', async (page) => {
      await page.getByTestId(`rollback-lambda-${backend}`).click();
      await page.getByTestId('rollback-plan').getByTestId('plan-change').waitFor();
    });
  });

  it('Rollbacks, with the RDS restore plan open', async () => {
    await checkPage('rollbacks-rds', '/rollbacks', async (page) => {
      await page.getByTestId('rollback-rds-prod-credmate-db').click();
      await page.getByTestId('rollback-plan').getByTestId('plan-warnings').waitFor();
    });
  });

  it('a rollback job', async () => {
    jobId = (
      await change('/api/v1/rollbacks', {
        deployId,
        kind: 'lambda',
        target: backend,
        confirmation: backend,
      })
    ).id;
    await checkPage('rollback-job', `/rollbacks/${jobId}`, (page) =>
      expect.poll(() => page.getByTestId('job-state').textContent()).toMatch(/succeeded|verifying/),
    );
  });

  it('the audit log', async () => {
    await checkPage('audit', '/audit', (page) =>
      expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(1),
    );
  });

  it('Notifications', async () => {
    await checkPage('notifications', '/notifications', (page) => page.getByTestId('notifications').waitFor());
  });

  it('Tokens, with a secret just issued', async () => {
    await checkPage('tokens', '/tokens', async (page) => {
      await page.getByTestId('tokens').waitFor();
      await page.getByTestId('token-name').fill(`pipeline-${Math.random().toString(36).slice(2, 8)}`);
      await page.getByTestId('issue-token').click();
      await page.getByTestId('shown-once').waitFor();
    });
  });

  it('the printable report', async () => {
    await checkPage('report', `/api/v1/deploys/${deployId}/report`, (page) =>
      expect.poll(() => page.locator('body').textContent()).toContain(deployId),
    );
  });

  it('the ended deploy, read-only', async () => {
    // The rollback job verifies with a minute of traffic after the change, then the deploy is rolled back.
    await app.control('POST', 'clock/advance', { seconds: 180 });
    await app.app.sources.refreshAll();
    await expect
      .poll(
        async () =>
          (await app.get<{ deploy: { phase: string } }>(`/api/v1/deploys/${deployId}`)).body.deploy.phase,
        {
          timeout: 30_000,
        },
      )
      .toBe('rolled-back');
    await checkPage('deploy-ended', `/deploys/${deployId}`, (page) =>
      page.getByTestId('read-only-note').waitFor(),
    );
  });

  it('the prepare dialog, once the deploy has ended', async () => {
    await checkPage('prepare-dialog', '/deploys', async (page) => {
      await page.getByTestId('prepare-deploy').click();
      await page.getByTestId('prepare-snapshot-name').waitFor();
    });
  });
});

describe.skipIf(!available)('the wrong-account banner at 390 and 1440 px wide', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    // The sandbox answers with account 123456789012; config expects another one.
    app = await buildTestApp({ aws: { expectedAccountId: '999999999999' } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('fits with the banner and the account in the header', async () => {
    for (const size of Object.keys(viewports) as Size[]) {
      const page = await signedInPage(browser, app, 'ops', viewports[size]);
      await page.goto(app.url);
      await page.getByTestId('wrong-account-banner').waitFor();
      await expect.poll(() => page.getByTestId('account').textContent()).toContain('123456789012');
      await page.screenshot({ path: `${shots}/account-check-${size}.png`, fullPage: true });
      const { documentWidth, outside, hiddenButtons } = await measure(page);
      expect(
        { overflow: documentWidth.scrollWidth - documentWidth.clientWidth, outside, hiddenButtons },
        size,
      ).toEqual({ overflow: 0, outside: [], hiddenButtons: [] });
      const banner = (await page.getByTestId('wrong-account-banner').boundingBox())!;
      expect(banner.x + banner.width, size).toBeLessThanOrEqual(viewports[size].width);
      await page.context().close();
    }
  });
});
