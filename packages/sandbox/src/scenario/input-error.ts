/** Bad input to the control API or the scenario handle: answered with 400 and changes nothing. */
export class SandboxInputError extends Error {
  override readonly name = 'SandboxInputError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
