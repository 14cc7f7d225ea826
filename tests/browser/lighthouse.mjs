// Lighthouse over the URLs given, in Debian's chromium (never a downloaded
// browser), mobile (its defaults: a mid-range phone on a slow 4G, simulated);
// prints one JSON line per URL: its category scores, every accessibility,
// best-practices and SEO audit that scored below 1, and the performance
// metrics. Used by tests/browser/test_lighthouse.py.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [chromePath, flags, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", ...JSON.parse(flags)],
});
// An audit that errors (Lighthouse's own failure, seen under load) leaves its
// category without a score: that page is measured again, at most twice.
async function measure(url) {
  let lhr;
  for (let attempt = 0; attempt < 3; attempt++) {
    ({ lhr } = await lighthouse(url, {
      port: chrome.port,
      logLevel: "error",
      output: "json",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    }));
    if (Object.values(lhr.categories).every((category) => category.score !== null)) break;
  }
  return lhr;
}

try {
  for (const url of urls) {
    const lhr = await measure(url);
    const scores = Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.score]));
    // The audits that count towards a score and fell short of it, or errored.
    const failing = Object.values(lhr.categories)
      .filter((category) => category.id !== "performance")
      .flatMap((category) => category.auditRefs.filter((ref) => ref.weight > 0))
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit.scoreDisplayMode === "error" || (audit.score !== null && audit.score < 1))
      .map((audit) => `${audit.id}: ${audit.title}${audit.errorMessage ? ` (${audit.errorMessage})` : ""}`);
    const metrics = Object.fromEntries(
      ["largest-contentful-paint", "first-contentful-paint", "total-blocking-time", "cumulative-layout-shift"]
        .map((id) => [id, lhr.audits[id].numericValue]));
    console.log(JSON.stringify({ url, scores, failing, metrics, errors: lhr.runtimeError ?? null }));
  }
} finally {
  await chrome.kill();
}
