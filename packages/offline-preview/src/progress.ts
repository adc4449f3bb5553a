import type { ProgressEvent } from './preview';
import { stackSummaryLine } from './render';

/** Where progress goes: stderr in the CLI. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * A progress indicator for {@link ProgressEvent}s. On a terminal it keeps one live line ("[2/4] running
 * dev...") and replaces it with the stack's summary line when the stack is done; elsewhere (CI logs,
 * pipes) it prints only the summary lines, one per stack, with no control characters.
 */
export function progressReporter(stream: ProgressStream): (event: ProgressEvent) => void {
  const tty = stream.isTTY === true;
  let done = 0;
  return (event) => {
    if (event.kind === 'start') {
      if (tty) stream.write(`\r\x1b[2K[${done + 1}/${event.total}] running ${event.project}...`);
      return;
    }
    // Counted by completion, not position: on worker threads stacks finish out of project order.
    done = event.completed;
    stream.write(`${tty ? '\r\x1b[2K' : ''}[${done}/${event.total}] ${stackSummaryLine(event.stack)} (${Math.round(event.ms)} ms)\n`);
  };
}
