export { decodeJsonText, type DecodedText, type JsonEncoding } from './decode';
export { JsonError, jsonProblem, type JsonErrorKind, type Position } from './errors';
export { DEFAULT_MAX_DEPTH, parseJson, readJson, type JsonDocument, type ReadJsonOptions } from './parse';
export { JsonPositions, offsetInStringLiteral, parsePointer, type PathSegment } from './positions';
