/**
 * An error as an AWS service reports it. Each protocol renders it its own way; `code` is
 * what the SDK turns into an exception class (via the model, or its base class if unmodelled).
 */
export class AwsApiError extends Error {
  override readonly name = 'AwsApiError';

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra members some errors carry (Lambda's Type and Reason). */
    readonly members: Record<string, string> = {},
    /** awsQuery-compatible JSON services (CloudWatch): the model shape behind a query error code. */
    readonly shapeName?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}
