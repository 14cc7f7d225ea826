// Lighthouse over the pages given, in Debian's chromium (never a downloaded
// browser), mobile (its defaults: a mid-range phone on a slow 4G, simulated);
// prints one JSON line per page: its category scores, every accessibility,
// best-practices and SEO audit that scored below 1, and the performance
// metrics. Used by tests/browser/test_lighthouse.py.
//
// Arguments: chromium's path, its flags (JSON), the pages (JSON: [{url, runs}]).
// A page measured more than once is reported by its median run, Lighthouse's
// own answer to a busy machine (docs/variability.md): a performance score
// comes from timings, and one run on a shared CI machine is one sample.
import lighthouse from "lighthouse";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";
import * as chromeLauncher from "chrome-launcher";

const [chromePath, flags, pages] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", ...JSON.parse(flags)],
});
// An audit that errors (Lighthouse's own failure, seen under load) leaves its
// category without a score: that page is measured again, at most twice.
async function measureOnce(url) {
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

async function measure({ url, runs }) {
  const results = [];
  for (let run = 0; run < runs; run++) results.push(await measureOnce(url));
  return runs > 1 ? computeMedianRun(results) : results[0];
}

try {
  for (const page of JSON.parse(pages)) {
    const lhr = await measure(page);
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
    console.log(JSON.stringify({ url: page.url, scores, failing, metrics, errors: lhr.runtimeError ?? null }));
  }
} finally {
  await chrome.kill();
}
