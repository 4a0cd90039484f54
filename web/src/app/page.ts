/** What every screen receives from the router: the path's parameters and the query string. */
export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}
