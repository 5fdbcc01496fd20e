// The error codes the API's answers carry, from the OpenAPI document
// (shared/contract/openapi.yaml, through the generated api-types.ts): a
// comparison with a code the document does not list fails `npm run build`.
import type { components } from './api-types';

export type ErrorCode = components['schemas']['ErrorCode'];
