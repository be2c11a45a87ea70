// A synthetic OpenAPI description of any size, for the large-spec test and the loader benchmark.

/** A valid OpenAPI 3.0 document with `n` paths, each with a schema referencing the previous one. */
export function syntheticSpec(n: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    schemas[`Item${i}`] = {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', format: 'uuid', description: `identifier of item ${i}` },
        count: { type: 'integer', minimum: 0, maximum: 1000 },
        previous: { $ref: `#/components/schemas/Item${i === 0 ? n - 1 : i - 1}` },
        tags: { type: 'array', items: { type: 'string', maxLength: 32 } },
      },
    };
    paths[`/items${i}/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: `getItem${i}`,
        security: [{ key: [] }],
        responses: {
          '200': {
            description: 'the item',
            content: { 'application/json': { schema: { $ref: `#/components/schemas/Item${i}` } } },
          },
          '404': { description: 'not found' },
        },
      },
      put: {
        operationId: `putItem${i}`,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/Item${i}` } } },
        },
        responses: { '204': { description: 'updated' } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Synthetic', version: '1' },
    paths,
    components: {
      schemas,
      securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
    },
  };
}
