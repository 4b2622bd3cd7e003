// Preloaded into a benchmarked process (`node -r`): on exit, writes its peak resident set
// size in KiB to the file named by BENCH_RSS_FILE, so the benchmark needs no GNU time.
const fs = require('node:fs');

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
