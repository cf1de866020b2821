/** Turning the API's error answers into sentences a person can act on. */
import type { ApiError } from "./client";

/** A sentence for an API error, with the first field problem when the API names one. */
export function describeError(error: ApiError): string {
  const details = Array.isArray(error.details) ? error.details as unknown[] : [];
  const first = details[0] as { loc?: unknown[]; msg?: string; message?: string } | undefined;
  const detail = first?.msg ?? first?.message;
  if (!detail || error.message.includes(detail)) return error.message;
  const where = Array.isArray(first?.loc) ? first.loc.filter((part) => part !== "body")
    .join(".") : "";
  return `${error.message} (${where ? `${where}: ` : ""}${detail})`;
}

/** The API's error from a non-JSON-client response (binary endpoints). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: ApiError } | undefined)?.error;
  if (error && typeof error.message === "string") return error;
  return { code: response.status === 404 ? "NOT_FOUND" : "UNKNOWN",
           message: `The server answered ${response.status}.` };
}
