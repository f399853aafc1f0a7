/**
 * Masked evidence for a secret: its first characters, an ellipsis and its length (`ghp_…[40]`). Short
 * values reveal less (a quarter of their length at most) so an 8-character password keeps its secret.
 */
export function maskSecret(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}…[${value.length}]`;
}
