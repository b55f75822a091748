import { ApiOperation, type ReferenceObject, type RequestBodyObject, type SchemaObject } from '@nestjs/swagger';
import { UPLOAD_LIMITS } from '@gridline/shared';

const MB = UPLOAD_LIMITS.maxFileBytes / (1024 * 1024);
const FORMAT_NAMES: Record<(typeof UPLOAD_LIMITS.mimeTypes)[number], string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
};
const FORMATS = UPLOAD_LIMITS.mimeTypes.map((t) => FORMAT_NAMES[t]).join('/');

/** What every route read by UploadReader accepts, in words. */
export const JSON_OR_MULTIPART_NOTE =
  `Send the fields as \`application/json\`, or as \`multipart/form-data\` with the same JSON in a \`data\` field plus up to ` +
  `${UPLOAD_LIMITS.maxFilesPerRequest} \`photos\` file parts (${FORMATS}, at most ${MB} MB each). Any other field or file part is refused with 400.`;

/**
 * The request body of a route read by UploadReader (attachments/read-request.ts): `json` as application/json,
 * or multipart/form-data with that JSON as a string in `data` and the photos as `photos`. The route has no @Body()
 * parameter, so the body is given through @ApiOperation (and any class `json` refers to needs @ApiExtraModels).
 */
export function ApiJsonOrMultipartBody(options: {
  json: SchemaObject | ReferenceObject;
  description: string;
  /** A JSON text for the multipart `data` field. */
  dataExample: string;
  /** What the photos are for (and when they are needed). */
  photosDescription: string;
}): MethodDecorator {
  const requestBody: RequestBodyObject = {
    required: true,
    description: `${options.description}\n\n${JSON_OR_MULTIPART_NOTE}`,
    content: {
      'application/json': { schema: options.json },
      'multipart/form-data': {
        schema: {
          type: 'object',
          required: ['data'],
          properties: {
            data: {
              type: 'string',
              description: 'The same JSON object as the application/json body, as text',
              example: options.dataExample,
            },
            photos: {
              type: 'array',
              maxItems: UPLOAD_LIMITS.maxFilesPerRequest,
              description: `${options.photosDescription}. ${FORMATS} (checked by content, not by name), at most ${MB} MB each, at most ${UPLOAD_LIMITS.maxFilesPerRequest} per request.`,
              items: { type: 'string', format: 'binary' },
            },
          },
        },
        encoding: { photos: { contentType: UPLOAD_LIMITS.mimeTypes.join(', ') } },
      },
    },
  };
  return ApiOperation({ requestBody });
}
