/** One successful tool call of this run: what was asked, what the model read, and the structured data beside it. */
export interface ToolObservation {
  name: string;
  input: unknown;
  /** The result as the model received it (redacted, capped): a claim is checked against what the model could read. */
  text: string;
  data?: unknown;
}

/**
 * The tool results of one run, kept for the evidence check: a metric value or a deploy may be
 * cited only as a result of this run showed it, not from the model's memory of other incidents.
 */
export class RunObservations {
  private readonly byName = new Map<string, ToolObservation[]>();

  record(observation: ToolObservation): void {
    const list = this.byName.get(observation.name);
    if (list) list.push(observation);
    else this.byName.set(observation.name, [observation]);
  }

  /** The results of one tool, in the order they came. */
  of(name: string): readonly ToolObservation[] {
    return this.byName.get(name) ?? [];
  }
}
