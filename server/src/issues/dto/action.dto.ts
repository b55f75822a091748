import type { Type } from '@nestjs/common';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { ActionInputs, IssueTransitionAction } from '@gridline/shared';

/** One body class per action, each the action's fields plus the issue `version` the caller saw; ACTION_DTOS below checks each against ActionInputs. */
class VersionedDto {
  @IsInt() @Min(1) version!: number;
}

class OptionalNoteDto extends VersionedDto {
  @IsOptional() @IsString() @Length(1, 2000) note?: string;
}

class RequiredNoteDto extends VersionedDto {
  @IsString() @Length(1, 2000) note!: string;
}

class ReasonDto extends VersionedDto {
  @IsString() @Length(1, 2000) reason!: string;
}

class MergeDto extends OptionalNoteDto {
  @IsInt() @Min(1) primaryIssueId!: number;
}

class DispatchDto extends OptionalNoteDto {
  @IsInt() @Min(1) departmentId!: number;
}

class SignDto extends OptionalNoteDto {
  @IsOptional() @IsInt() @Min(1) assigneeId?: number;
}

class RequestExtensionDto extends ReasonDto {
  /** Up to 30 days. */
  @IsInt() @Min(1) @Max(30 * 24 * 60) minutes!: number;
}

class DecideExtensionDto extends OptionalNoteDto {
  @IsBoolean() approve!: boolean;
}

class EvaluateDto extends VersionedDto {
  @IsInt() @Min(1) @Max(5) score!: number;
  @IsOptional() @IsString() @Length(1, 2000) comment?: string;
}

export const ACTION_DTOS: { [A in IssueTransitionAction]: Type<ActionInputs[A]> } = {
  resolve_on_site: RequiredNoteDto,
  accept: OptionalNoteDto,
  reject: ReasonDto,
  merge: MergeDto,
  dispatch: DispatchDto,
  sign: SignDto,
  return: ReasonDto,
  suspend: ReasonDto,
  resume: OptionalNoteDto,
  resolve: RequiredNoteDto,
  verify: OptionalNoteDto,
  reopen: ReasonDto,
  request_extension: RequestExtensionDto,
  decide_extension: DecideExtensionDto,
  supervise: RequiredNoteDto,
  evaluate: EvaluateDto,
};

export type AnyActionInput = ActionInputs[IssueTransitionAction];
