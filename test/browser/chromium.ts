/**
 * The system Chromium (the Debian package `chromium`), driven by playwright-core:
 * no browser is downloaded. `.ci/run` installs the package where it is missing;
 * without it the browser tests are skipped, saying so.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The browser to use: $REIMBURSE_CHROMIUM, or the Debian package's; undefined when there is none. */
export function findChromium(): string | undefined {
  const own = process.env.REIMBURSE_CHROMIUM;
  if (own) return own; // named: a launch failure is then a failure, not a skip
  return CANDIDATES.find((p) => existsSync(p));
}

export const NO_BROWSER =
  "browser tests SKIPPED: no Chromium found (looked for $REIMBURSE_CHROMIUM, " +
  CANDIDATES.join(", ") +
  "). Install the Debian package: apt-get install -y chromium (.ci/run does).";

/**
 * A headless Chromium with a fresh profile, and nothing that would reach out:
 * the machine's closed network refuses Chromium's background connections, and
 * a test must not wait on them.
 */
export async function launch(executablePath: string, viewport = { width: 860, height: 1200 }): Promise<{ ctx: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "reimburse-chromium-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    deviceScaleFactor: 1,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
