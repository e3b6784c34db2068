// POST /graphql takes JSON. GraphQL over HTTP requires application/json and lets a server refuse
// other media types with 415; yoga instead reads a form-encoded body (what `curl -d` sends without
// -H 'Content-Type: application/json') as an empty request and answers 200 "Must provide query
// string.", and other types with an empty 415. This says what to send.
import type { Plugin } from 'graphql-yoga';

const JSON_TYPE = /^application\/(graphql\+)?json\s*(;|$)/i;

export function jsonBodyPlugin(endpoint = '/graphql'): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'POST' || url.pathname !== endpoint) return;
      const type = request.headers.get('content-type');
      if (type && JSON_TYPE.test(type.trim())) return;
      const got = type ? `got "${type.slice(0, 80)}"` : 'got none';
      endResponse(
        Response.json(
          { errors: [{ message: `POST ${endpoint} takes a JSON body: send Content-Type: application/json (${got}); with curl, add -H 'Content-Type: application/json'`, extensions: { code: 'BAD_REQUEST' } }] },
          { status: 415, headers: { 'accept-post': 'application/json' } },
        ),
      );
    },
  };
}
