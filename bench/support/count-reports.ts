/**
 * The counting processes' side of the report protocol (peer-measure.ts ReadingCounter): on each
 * `report` line on stdin, print `SUB_REPORT {json}` of the counts; on stdin's end or SIGTERM,
 * close and exit.
 */
export function serveCountReports(counts: object, close: () => void): void {
  let buf = '';
  process.stdin.on('data', (b: Buffer) => {
    buf += b.toString();
    if (buf.includes('report\n')) {
      buf = '';
      process.stdout.write(`SUB_REPORT ${JSON.stringify(counts)}\n`);
    }
  });
  const bye = (): void => {
    close();
    process.exit(0);
  };
  process.stdin.on('end', bye);
  process.once('SIGTERM', bye);
}
