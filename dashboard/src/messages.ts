/** The words of any thrown value, for an alert. Errors from the API client are already sentences. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message.trim() !== '') return error.message;
  return 'Something went wrong. Try again in a moment.';
}
