import type { ApiMethod, ApiResource, RestApiDefinition } from './rest-api-definition';

export interface RouteMatch {
  readonly resource: ApiResource;
  readonly method: ApiMethod;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/**
 * The resource and method for a request path `/<stage>/<resource path>`: a literal
 * path part wins over `{param}`, which wins over a greedy `{param+}`; a trailing slash
 * is ignored. A method ANY serves every HTTP method its resource has no method for.
 */
export function findRoute(api: Pick<RestApiDefinition, 'root' | 'stageName'>, httpMethod: string, pathname: string): RouteMatch | undefined {
  const segments = pathname.split('/').slice(1);
  if (segments[segments.length - 1] === '' && segments.length > 1) segments.pop();
  let decoded: string[];
  try {
    decoded = segments.map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
  if (decoded[0] !== api.stageName) return undefined;
  const path = decoded.slice(1);
  if (path.some((segment) => segment === '')) return undefined;

  const search = (resource: ApiResource, index: number, parameters: Record<string, string>): RouteMatch | undefined => {
    if (index === path.length) {
      const method = resource.methods.get(httpMethod) ?? resource.methods.get('ANY');
      return method ? { resource, method, pathParameters: parameters } : undefined;
    }
    const segment = path[index];
    const literal = resource.children.filter((child) => child.pathPart === segment);
    const single = resource.children.filter((child) => /^\{[^{}+]+\}$/.test(child.pathPart));
    const greedy = resource.children.filter((child) => /^\{[^{}]+\+\}$/.test(child.pathPart));
    for (const child of literal) {
      const match = search(child, index + 1, parameters);
      if (match) return match;
    }
    for (const child of single) {
      const match = search(child, index + 1, { ...parameters, [child.pathPart.slice(1, -1)]: segment });
      if (match) return match;
    }
    for (const child of greedy) {
      const match = search(child, path.length, { ...parameters, [child.pathPart.slice(1, -2)]: path.slice(index).join('/') });
      if (match) return match;
    }
    return undefined;
  };
  return search(api.root, 0, {});
}
