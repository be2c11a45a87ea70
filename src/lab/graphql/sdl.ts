// The lab's GraphQL schema over the same SQLite data as the REST API. `User.documents` and
// `Document.owner` form a cycle on purpose (depth attacks), `users(first:)` is a sized list (cost
// attacks), `login` is a mutation (batched brute force) and `importDocument(url:)` fetches a URL
// (SSRF). The secure variant's schema has no `passwordHash` at all.
const USER_FIELDS = `
  id: ID!
  email: String!
  name: String!
  role: String!
  documents(first: Int = 20): [Document!]! @listSize(slicingArguments: ["first"])`;

export function labSdl(withPasswordHash: boolean): string {
  return `
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
directive @auth(roles: [String!]) on FIELD_DEFINITION | OBJECT

type Query {
  me: User
  user(id: ID!): User @auth(roles: ["admin"])
  users(first: Int = 20): [User!]! @listSize(slicingArguments: ["first"]) @auth(roles: ["admin"])
  document(id: ID!): Document
  documents(first: Int = 20): [Document!]! @listSize(slicingArguments: ["first"])
}

type Mutation {
  login(email: String!, password: String!): LoginResult!
  importDocument(url: String!): Document
}

type LoginResult {
  ok: Boolean!
  token: String
}

type User {${USER_FIELDS}${withPasswordHash ? '\n  passwordHash: String' : ''}
}

type Document {
  id: ID!
  title: String!
  content: String!
  classification: String
  owner: User!
}
`;
}
