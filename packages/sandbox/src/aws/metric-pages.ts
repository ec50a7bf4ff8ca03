/**
 * GetMetricData pages: at most `limit` datapoints per response, counted across the queries
 * in order; a query cut short is PartialData and the rest comes with the NextToken.
 */
export interface PageSlice {
  from: number;
  to: number;
  complete: boolean;
}

export function pageOfDatapoints(
  lengths: readonly number[],
  offset: number,
  limit: number,
): { slices: PageSlice[]; more: boolean } {
  let position = 0;
  const pageEnd = offset + limit;
  const slices = lengths.map((length) => {
    const from = Math.min(Math.max(offset - position, 0), length);
    const to = Math.min(Math.max(pageEnd - position, 0), length);
    position += length;
    return { from, to, complete: to >= length };
  });
  return { slices, more: position > pageEnd };
}
