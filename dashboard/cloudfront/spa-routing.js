// CloudFront Function (cloudfront-js-2.0, viewer request) of the dashboard's default behaviour.
// The page routes in the browser (/callback, /products...): a path whose last segment has no
// file extension is one of its routes, so S3 is asked for /index.html instead. A custom error
// response could do the same, but it would also turn the APIs' own 403s and 404s into the page.
// Paths under /api/ that no API behaviour took are refused here rather than answered with HTML,
// so a mistyped API call fails as an API call.

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls it by name
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/api' || uri.indexOf('/api/') === 0) {
    return {
      statusCode: 404,
      statusDescription: 'Not Found',
      headers: { 'content-type': { value: 'application/json' }, 'cache-control': { value: 'no-store' } },
      body: { encoding: 'text', data: '{"message":"There is no such API address."}' },
    };
  }
  var lastSegment = uri.slice(uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
