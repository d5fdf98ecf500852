// POST opinions with fixed concurrency; counts only 201s. Usage: node load.js URL PROCESS N CONCURRENCY
const [url, processId, n, concurrency] = [process.argv[2], process.argv[3], +process.argv[4], +process.argv[5]];
const http = require("http");
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let next = 0, created = 0, other = {};
const lat = [];
function post(i) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ position: ["for", "against", "neutral"][i % 3], article: `art-${i % 8 + 1}`, reasons: "Una razón de longitud típica para una opinión ciudadana.", department: "peten" });
    const t = process.hrtime.bigint();
    const req = http.request(`${url}/api/processes/${processId}/opinions`, { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => { lat.push(Number(process.hrtime.bigint() - t) / 1e6); if (res.statusCode === 201) created++; else other[res.statusCode] = (other[res.statusCode] || 0) + 1; resolve(); });
    });
    req.on("error", (e) => { other[e.code] = (other[e.code] || 0) + 1; resolve(); });
    req.end(body);
  });
}
async function worker() { while (next < n) await post(next++); }
(async () => {
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  lat.sort((a, b) => a - b);
  const p = (q) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(1);
  console.log(JSON.stringify({ created, other, seconds: +s.toFixed(2), perSecond: +(created / s).toFixed(1), p50: p(0.5), p95: p(0.95), p99: p(0.99) }));
})();
