/**
 * ESLint rule `gridline/no-spread-then-extend` (ADR 0063): on Node 20 (V8 11.3) an object built by
 * spreading another and then adding fields it did not have, `{ ...terms, id, stage }`, survives
 * the young generation's scavenges when held across an await, and every such object becomes
 * old-generation garbage. At hundreds of reports a second that was a full collection every few
 * seconds and the steady p99 tripled.
 *
 * Reports an object literal that starts with a spread and then writes properties the spread's
 * type does not have (optional properties count as missing: at run time they may be), once, with
 * their names. Fine, and not reported (scripts/v8-spread-promotion.mjs measures each): fields
 * written out, the spread last or after other fields, `Object.assign` onto a new object, and
 * properties that only overwrite what the spread copied.
 * Needs type information (typed linting); without it the rule does nothing.
 */
'use strict';

/** The property's name when it is known without running the code. */
function staticName(property) {
  if (property.computed) return property.key.type === 'Literal' ? String(property.key.value) : null;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal') return String(property.key.value);
  return null;
}

/** Whether every object of this type surely has the property (any and dictionaries: assumed). */
function surelyHas(checker, ts, type, name) {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  if (type.isUnion()) return type.types.every((t) => surelyHas(checker, ts, t, name));
  const apparent = checker.getApparentType(type);
  const symbol = checker.getPropertyOfType(apparent, name);
  if (symbol) return (symbol.flags & ts.SymbolFlags.Optional) === 0;
  return checker.getIndexInfosOfType(apparent).length > 0;
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'No object spread followed by new fields on hot paths (ADR 0063)' },
    messages: {
      extends:
        'Fields added after a leading spread that does not have them ({{names}}): on Node 20 such an object, held across an await, ' +
        'outlives the scavenges (ADR 0063). Write the fields out, put the spread last, or Object.assign onto a new object.',
    },
    schema: [],
  },
  create(context) {
    const services = context.sourceCode.parserServices;
    if (!services || !services.program) return {};
    const ts = require('typescript');
    const checker = services.program.getTypeChecker();
    const typeOf = (node) => checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));
    return {
      ObjectExpression(node) {
        // V8 clones the first spread's object and then adds to it; a spread after other fields is not that case.
        if (node.properties[0]?.type !== 'SpreadElement') return;
        const spreads = [];
        const added = [];
        for (const property of node.properties) {
          if (property.type === 'SpreadElement') spreads.push(typeOf(property.argument));
          else {
            const name = staticName(property);
            if (name === null || !spreads.some((type) => surelyHas(checker, ts, type, name))) added.push(name ?? '(computed)');
          }
        }
        if (added.length) context.report({ node, messageId: 'extends', data: { names: added.join(', ') } });
      },
    };
  },
};
