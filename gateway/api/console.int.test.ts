import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumSkipReason, launchChromium } from '../console/testing/chromium.js';
import { alarmsById, API_TOKEN, API_USER, setGas, startSafetySite } from '../runtime/testing/safety-site.js';

/**
 * The local console in a real headless browser (issue 6: "the console in the browser: an alarm
 * appears, is acknowledged, and the journal records who did it"). A gateway runs on the virtual
 * rig's gas-safety site (gateway/runtime/testing/safety-site.ts: gas detectors on RS-485, one
 * API user); Chromium opens its console at phone size, the gas rises on the simulator, and a
 * person logs in and acknowledges — everything through the page, as a person would.
 * Requires the compiled build (dist/) for the SQLite store worker.
 */

/** Generous bounds for a loaded 2-core CI machine; each step normally takes well under a second. */
const STEP_MS = 10_000;
const ALARM = 'gas-1/gas_high';

const skip = chromiumSkipReason();
if (skip !== undefined) console.warn(`console.int.test.ts skipped: ${skip}`);

const alarmCard = (page: Page, id: string) => page.locator(`li[data-alarm-id="${id}"]`);

describe.skipIf(skip !== undefined)('the local console in Chromium', () => {
  it('shows a gas alarm as it appears, refuses anonymous and premature actions, acknowledges for the logged-in person, and the journal names them', async () => {
    const site = await startSafetySite();
    const { gw, api } = await site.startGateway();
    const browser = await launchChromium();
    // A phone (iPhone 12-class viewport): the console must be usable there (one column, big buttons).
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await page.goto(`${gw.apiUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await expect.poll(() => page.locator('#status').getAttribute('data-status'), { timeout: STEP_MS }).toMatch(/^(ok|degraded|fault)$/);
    // Before the gas rises: no gas alarm on the page (a detector may show a start-up communication blip).
    await page.locator('#site').filter({ hasText: 'safety-plant' }).waitFor();
    expect(await alarmCard(page, ALARM).count()).toBe(0);
    expect(await page.locator('#who').textContent()).toBe('Not logged in');

    // The gas rises on the simulator: the alarm appears on the page by itself (polling).
    await setGas(site, gw, 'gas-1', 30);
    const card = alarmCard(page, ALARM);
    await card.waitFor();
    expect(await card.getAttribute('data-state')).toBe('unacknowledged');
    expect(await card.locator('.state').textContent()).toBe('unacknowledged');
    expect(await page.locator('#alarm-count').textContent()).not.toBe('');
    // Phone: the acknowledge button is a big tap target and fits the screen.
    const ack = card.getByRole('button', { name: 'Acknowledge' });
    const box = await ack.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(44);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);

    // Nobody acts anonymously: acknowledge without logging in asks for a login and changes nothing.
    await ack.click();
    await page.locator('#login-dialog').waitFor();
    expect(await page.locator('#login-error').textContent()).toMatch(/^Log in to acknowledge gas-1\/gas_high/);
    expect((await alarmsById(api)).get(ALARM)?.state).toBe('unacknowledged');

    // A wrong token is caught at the login form.
    await page.locator('#login-name').fill(API_USER);
    await page.locator('#login-token').fill('not-the-token');
    await page.locator('#login-form button[type=submit]').click();
    await expect.poll(() => page.locator('#login-error').textContent(), { timeout: STEP_MS }).toBe('Name or token not recognised.');
    await page.locator('#login-token').fill(API_TOKEN);
    await page.locator('#login-form button[type=submit]').click();
    await page.locator('#login-dialog').waitFor({ state: 'hidden' });
    expect(await page.locator('#who').textContent()).toBe(`Logged in as ${API_USER}`);

    // A reset while the gas is still there is refused by the engine, and the page says why.
    await card.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => page.locator('#message').textContent(), { timeout: STEP_MS }).toMatch(/^Refused: .*condition is still present/);
    expect((await alarmsById(api)).get(ALARM)?.state).toBe('unacknowledged');

    // Acknowledge, with a handling note: the card changes state and says who.
    await page.locator('#note').fill('valve checked, area ventilated');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => card.getAttribute('data-state'), { timeout: STEP_MS }).toBe('acknowledged');
    await expect.poll(() => card.locator('.facts').textContent(), { timeout: STEP_MS }).toContain(`acknowledged by ${API_USER} (api)`);
    expect(await card.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect((await alarmsById(api)).get(ALARM)?.occurrence?.acknowledgedBy).toEqual({ kind: 'api', name: API_USER });

    // Shelve it for 30 min: the person confirms a dialog that says what shelving does; the card
    // shows until when, the sounders no longer count it, and Unshelve brings it back.
    await page.locator('#shelve-minutes').selectOption('30');
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await card.getByRole('button', { name: 'Shelve' }).click();
    await expect.poll(() => dialogs.length, { timeout: STEP_MS }).toBe(1);
    expect((await alarmsById(api)).get(ALARM)?.state).toBe('acknowledged'); // dismissed: nothing done
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    const shelvedAt = Date.now();
    await card.getByRole('button', { name: 'Shelve' }).click();
    expect(dialogs[1]).toBe(`Shelve ${ALARM} for 30 min? It will not sound or flash until then, even if it comes back.`);
    await expect.poll(() => card.getAttribute('data-state'), { timeout: STEP_MS }).toBe('shelved');
    await expect.poll(() => card.locator('.facts').textContent(), { timeout: STEP_MS }).toContain('shelved until');
    const shelved = (await alarmsById(api)).get(ALARM);
    expect(shelved?.annunciating).toBe(false);
    expect(shelved?.shelvedUntil).toBeGreaterThanOrEqual(shelvedAt + 30 * 60_000 - 5_000);
    expect(shelved?.shelvedUntil).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    await card.getByRole('button', { name: 'Unshelve' }).click();
    await expect.poll(() => card.getAttribute('data-state'), { timeout: STEP_MS }).not.toBe('shelved');

    // The journal records who did it.
    await page.getByRole('link', { name: 'Journal' }).click();
    const entry = page.locator(`#journal-table tr[data-subject="${ALARM}"][data-type="alarm.acknowledged"]`);
    await entry.waitFor();
    expect(await entry.locator('td.actor').textContent()).toBe(`${API_USER} (api)`);
    expect(await entry.locator('td').last().textContent()).toBe('valve checked, area ventilated');
    expect(await page.locator(`#journal-table tr[data-subject="${ALARM}"][data-type="alarm.activated"] td.actor`).textContent()).toBe('gas-1 (sensor)');
    for (const type of ['alarm.shelved', 'alarm.unshelved']) {
      expect(await page.locator(`#journal-table tr[data-subject="${ALARM}"][data-type="${type}"] td.actor`).textContent()).toBe(`${API_USER} (api)`);
    }

    // Trends and bus health: the detector's trend has points; the RS-485 line shows its booked budget.
    await page.getByRole('link', { name: 'Points' }).click();
    await expect.poll(() => page.locator('tr[data-point="gas-1/gas_lel"] polyline').count(), { timeout: STEP_MS }).toBe(1);
    await page.getByRole('link', { name: 'Health' }).click();
    await expect.poll(() => page.locator('#bus-table tr[data-bus="rs485-1"]').textContent(), { timeout: STEP_MS }).toMatch(/\d+(\.\d)? %/);
    // Measured traffic: four devices polled every 250 ms keep the line busy.
    const txPerSec = page.locator('#bus-table tr[data-bus="rs485-1"] td').nth(2);
    await expect.poll(async () => Number(await txPerSec.textContent()), { timeout: STEP_MS }).toBeGreaterThan(1);
    expect(await page.locator('#device-table tr[data-device="gas-1"] td').nth(3).textContent()).toBe('ok');

    expect(pageErrors).toEqual([]);
  });
});
