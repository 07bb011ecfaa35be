import * as ts from 'typescript';

/**
 * The `ts.isX` node tests that hot engine helpers ask about nearly every node, as plain comparisons of kinds read
 * once. The `typescript` module object has over 2,000 exports, so V8 keeps it in dictionary mode: each `ts.isX` or
 * `ts.SyntaxKind.X` read is a hash lookup, which in a helper run per node cost more than the helper's own work.
 * Each test here answers exactly what the `ts.isX` of the same name answers.
 */

export const {
  Identifier: IDENTIFIER,
  PropertyAccessExpression: PROPERTY_ACCESS,
  ElementAccessExpression: ELEMENT_ACCESS,
  CallExpression: CALL,
  NewExpression: NEW,
  ThisKeyword: THIS,
  ImportKeyword: IMPORT_KEYWORD,
  StringLiteral: STRING_LITERAL,
  NoSubstitutionTemplateLiteral: NO_SUBSTITUTION_TEMPLATE,
  ObjectLiteralExpression: OBJECT_LITERAL,
  ObjectBindingPattern: OBJECT_BINDING_PATTERN,
  AwaitExpression: AWAIT,
  ReturnStatement: RETURN,
  TypeOfExpression: TYPE_OF,
  FunctionDeclaration: FUNCTION_DECLARATION,
  MethodDeclaration: METHOD_DECLARATION,
  FunctionExpression: FUNCTION_EXPRESSION,
  ArrowFunction: ARROW_FUNCTION,
  ParenthesizedExpression: PARENTHESIZED,
  NonNullExpression: NON_NULL,
  AsExpression: AS,
  TypeAssertionExpression: TYPE_ASSERTION,
  SatisfiesExpression: SATISFIES,
  ImportDeclaration: IMPORT_DECLARATION,
  ImportEqualsDeclaration: IMPORT_EQUALS_DECLARATION,
  VariableStatement: VARIABLE_STATEMENT,
  ClassDeclaration: CLASS_DECLARATION,
  ClassExpression: CLASS_EXPRESSION,
  PropertyDeclaration: PROPERTY_DECLARATION,
  GetAccessor: GET_ACCESSOR,
  SetAccessor: SET_ACCESSOR,
  StaticKeyword: STATIC_KEYWORD,
} = ts.SyntaxKind;

export function isIdentifier(node: ts.Node): node is ts.Identifier {
  return node.kind === IDENTIFIER;
}

export function isPropertyAccessExpression(node: ts.Node): node is ts.PropertyAccessExpression {
  return node.kind === PROPERTY_ACCESS;
}

export function isElementAccessExpression(node: ts.Node): node is ts.ElementAccessExpression {
  return node.kind === ELEMENT_ACCESS;
}

export function isCallExpression(node: ts.Node): node is ts.CallExpression {
  return node.kind === CALL;
}

export function isNewExpression(node: ts.Node): node is ts.NewExpression {
  return node.kind === NEW;
}

export function isStringLiteralLike(node: ts.Node): node is ts.StringLiteralLike {
  return node.kind === STRING_LITERAL || node.kind === NO_SUBSTITUTION_TEMPLATE;
}

export function isObjectLiteralExpression(node: ts.Node): node is ts.ObjectLiteralExpression {
  return node.kind === OBJECT_LITERAL;
}
