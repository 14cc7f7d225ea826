// Lighthouse over the URLs given, in Debian's chromium (never a downloaded
// browser); prints one JSON line per URL: its category scores and every
// audit that scored below 1. Used by tests/browser/test_lighthouse.py.
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const [chromePath, flags, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", ...JSON.parse(flags)],
});
try {
  for (const url of urls) {
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      logLevel: "error",
      output: "json",
      onlyCategories: ["accessibility", "best-practices", "seo"],
    });
    const scores = Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.score]));
    // The audits that count towards a score and fell short of it.
    const failing = Object.values(lhr.categories)
      .flatMap((category) => category.auditRefs.filter((ref) => ref.weight > 0))
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit.score !== null && audit.score < 1)
      .map((audit) => `${audit.id}: ${audit.title}`);
    console.log(JSON.stringify({ url, scores, failing, errors: lhr.runtimeError ?? null }));
  }
} finally {
  await chrome.kill();
}
