import { compareLogLines, type LogErrorLine, type RecentLogErrors } from '@flightdeck/contracts';
import { countSchemaErrors } from '@flightdeck/core';
import type { Source } from '../../../platform/sources/collector.js';
import { lambdaLogGroup, type ReadLogEvents } from '../../../platform/upstreams/log-events-reader.js';

const maxLines = 50;
const maxPagesPerGroup = 5;

/** The latest error lines of every function's log group, newest first. */
export class LogErrorsSource implements Source<RecentLogErrors> {
  constructor(
    /** FilterLogEvents pages, secrets already redacted (sources/log-events-reader.ts). */
    private readonly read: ReadLogEvents,
    private readonly functionNames: string[],
    private readonly pattern: string,
    private readonly windowMinutes: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async fetch(): Promise<RecentLogErrors> {
    const endTime = this.now().getTime();
    const startTime = endTime - this.windowMinutes * 60_000;
    const perFunction = await Promise.all(
      this.functionNames.map((fn) => this.errorsOf(fn, startTime, endTime)),
    );
    const all = perFunction.flatMap((f) => f.lines);
    const lines = all.sort(compareLogLines).slice(0, maxLines);
    return {
      windowMinutes: this.windowMinutes,
      pattern: this.pattern,
      lines,
      // Counted over every line read, not just the newest shown.
      schemaErrors: countSchemaErrors(this.functionNames, all),
      complete: perFunction.every((f) => f.complete),
    };
  }

  private async errorsOf(
    functionName: string,
    startTime: number,
    endTime: number,
  ): Promise<{ lines: LogErrorLine[]; complete: boolean }> {
    const lines: LogErrorLine[] = [];
    let nextToken: string | undefined;
    // Bounded: an error storm must not turn one refresh into hundreds of calls.
    for (let page = 0; page < maxPagesPerGroup; page++) {
      const out = await this.read({
        logGroupName: lambdaLogGroup(functionName),
        filterPattern: this.pattern,
        startTime,
        endTime,
        nextToken,
      });
      for (const e of out.events) {
        lines.push({
          functionName,
          timestamp: new Date(e.timestamp).toISOString(),
          message: e.message.trimEnd(),
          logStream: e.logStream,
          eventId: e.eventId,
        });
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    return { lines, complete: !nextToken };
  }
}
