// /api/v2/documents, /api/v2/documents/{documentId}, .../classify and /api/v2/documents/import
import { problems } from '../http/problem.js';
import type { DocumentRow } from '../db/store.js';
import { callerOf, type LabContext, type LabRequest, type RouteDef } from '../types.js';

/** The document named in the path, as the caller may see it (API1 decides), or 404. */
function target(ctx: LabContext, req: LabRequest): DocumentRow {
  const doc = ctx.flaws.objects.findDocument(
    ctx.store,
    callerOf(req),
    req.params['documentId'] ?? '',
  );
  if (!doc) throw problems.notFound('No such document.');
  return doc;
}

/** Opaque cursors: base64url of the last row's internal sequence number. */
function encodeCursor(seq: number): string {
  return Buffer.from(`d${seq}`).toString('base64url');
}

function decodeCursor(raw: string | null): number {
  if (raw === null) return 0;
  const match =
    raw.length <= 64 && /^[A-Za-z0-9_-]+$/.test(raw)
      ? /^d([0-9]{1,15})$/.exec(Buffer.from(raw, 'base64url').toString('latin1'))
      : null;
  if (!match) {
    throw problems.badRequest('invalid_cursor', 'The cursor is not valid.', [
      { pointer: '/query/cursor', detail: 'not a cursor from this API' },
    ]);
  }
  return Number(match[1]);
}

export const listDocuments: RouteDef = {
  auth: true,
  body: false,
  handle(ctx, req) {
    const limit = ctx.flaws.resources.pageSize(req.query.get('limit'));
    const after = decodeCursor(req.query.get('cursor'));
    // One extra row tells whether there is a next page without a count query. (A negative limit
    // only gets here in the vulnerable variant, where SQLite reads it as "no limit".)
    const fetch = limit < 0 ? -1 : Math.min(limit, 1_000_000_000) + 1;
    const rows = ctx.store.documentsForOwner(callerOf(req).id, after, fetch);
    const page = limit < 0 ? rows : rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      status: 200,
      body: {
        items: page.map((d) => ctx.flaws.properties.documentView(d)),
        next_cursor: rows.length > page.length && last ? encodeCursor(last.seq) : null,
      },
    };
  },
};

export const createDocument: RouteDef = {
  auth: true,
  body: true,
  handle(ctx, req) {
    const body = ctx.flaws.properties.input('DocumentInput', req.body);
    const doc = ctx.store.insertDocument({
      id: ctx.flaws.objects.newId('documents'),
      owner_id: callerOf(req).id,
      title: String(body['title'] ?? ''),
      content: String(body['content'] ?? ''),
    });
    return {
      status: 201,
      body: ctx.flaws.properties.documentView(doc),
      headers: { Location: `/api/v2/documents/${encodeURIComponent(doc.id)}` },
    };
  },
};

export const importDocument: RouteDef = {
  auth: true,
  body: true,
  async handle(ctx, req) {
    const body = ctx.flaws.properties.input('ImportRequest', req.body);
    const url = String(body['url'] ?? '');
    const text = await ctx.flaws.imports.fetchText(url);
    const doc = ctx.store.insertDocument({
      id: ctx.flaws.objects.newId('documents'),
      owner_id: callerOf(req).id,
      title: `Imported from ${url}`.slice(0, 200),
      content: text,
    });
    return {
      status: 201,
      body: ctx.flaws.properties.documentView(doc),
      headers: { Location: `/api/v2/documents/${encodeURIComponent(doc.id)}` },
    };
  },
};

export const getDocument: RouteDef = {
  auth: true,
  body: false,
  handle: (ctx, req) => ({
    status: 200,
    body: ctx.flaws.properties.documentView(target(ctx, req)),
  }),
};

export const replaceDocument: RouteDef = {
  auth: true,
  body: true,
  handle(ctx, req) {
    const doc = target(ctx, req);
    const body = ctx.flaws.properties.input('DocumentInput', req.body);
    ctx.store.updateDocument(doc.id, String(body['title'] ?? ''), String(body['content'] ?? ''));
    const updated = ctx.store.documentById(doc.id) ?? doc;
    return { status: 200, body: ctx.flaws.properties.documentView(updated) };
  },
};

export const deleteDocument: RouteDef = {
  auth: true,
  body: false,
  handle(ctx, req) {
    ctx.store.deleteDocument(target(ctx, req).id);
    return { status: 204 };
  },
};

export const classifyDocument: RouteDef = {
  auth: true,
  body: false,
  async handle(ctx, req) {
    const doc = target(ctx, req);
    const label = await ctx.flaws.classifier.classify(ctx.classifierUrl, doc.content);
    // Looked up again: the document may have been deleted while the classifier was thinking.
    if (!ctx.store.documentById(doc.id)) throw problems.notFound('No such document.');
    ctx.store.classifyDocument(doc.id, label);
    const updated = ctx.store.documentById(doc.id) ?? doc;
    return { status: 200, body: ctx.flaws.properties.documentView(updated) };
  },
};
