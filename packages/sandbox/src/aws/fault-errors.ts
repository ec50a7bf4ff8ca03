import type { AwsService } from '../scenario/faults.js';
import { AwsApiError } from './aws-error.js';

/** What each service answers when it throttles: the codes the SDK's retry logic knows. */
export function throttlingError(service: AwsService): AwsApiError {
  switch (service) {
    case 'CloudWatch':
      // Not in CloudWatch's model: the SDK raises CloudWatchServiceException named "Throttling".
      return new AwsApiError('Throttling', 400, 'Rate exceeded', {}, 'ThrottlingException');
    case 'CloudWatchLogs':
      return new AwsApiError('ThrottlingException', 400, 'Rate exceeded');
    case 'Lambda':
      return new AwsApiError(
        'TooManyRequestsException',
        429,
        'Rate exceeded',
        { Type: 'User', Reason: 'CallerRateLimitExceeded' },
        undefined,
        { 'retry-after': '1' },
      );
    case 'RDS':
    case 'STS':
      return new AwsApiError('Throttling', 400, 'Rate exceeded');
  }
}

/** What each service answers when it fails on its side. */
export function serverError(service: AwsService): AwsApiError {
  switch (service) {
    case 'CloudWatch':
      return new AwsApiError(
        'InternalServiceError',
        500,
        'Internal service error (injected by the sandbox)',
        {},
        'InternalServiceFault',
      );
    case 'CloudWatchLogs':
      return new AwsApiError(
        'ServiceUnavailableException',
        503,
        'The service is unavailable (injected by the sandbox)',
      );
    case 'Lambda':
      return new AwsApiError('ServiceException', 500, 'Internal service error (injected by the sandbox)', {
        Type: 'Service',
      });
    case 'RDS':
    case 'STS':
      return new AwsApiError('InternalFailure', 500, 'Internal failure (injected by the sandbox)');
  }
}
