using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class MembershipFellows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FellowshipRounds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ClosesAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReviewsPerPlan = table.Column<int>(type: "integer", nullable: false),
                    Rubric = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FellowshipRounds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FellowshipRounds_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FellowshipReviewers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FellowshipReviewers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FellowshipReviewers_FellowshipRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "FellowshipRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StrategicPlans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    RoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    ApplicantUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Sections = table.Column<string>(type: "character varying(40000)", maxLength: 40000, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecisionReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AttachmentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    AttachmentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Attachment = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StrategicPlans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StrategicPlans_FellowshipRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "FellowshipRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StrategicPlanReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ReviewerUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Scores = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    WeightedScore = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: true),
                    Recommendation = table.Column<int>(type: "integer", nullable: true),
                    Comments = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StrategicPlanReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StrategicPlanReviews_StrategicPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "StrategicPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FellowshipReviewers_RoundId_UserId",
                table: "FellowshipReviewers",
                columns: new[] { "RoundId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FellowshipRounds_OrganizationId",
                table: "FellowshipRounds",
                column: "OrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_StrategicPlanReviews_OrganizationId_ReviewerUserId",
                table: "StrategicPlanReviews",
                columns: new[] { "OrganizationId", "ReviewerUserId" });

            migrationBuilder.CreateIndex(
                name: "IX_StrategicPlanReviews_PlanId_Version_ReviewerUserId",
                table: "StrategicPlanReviews",
                columns: new[] { "PlanId", "Version", "ReviewerUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StrategicPlans_OrganizationId_Status",
                table: "StrategicPlans",
                columns: new[] { "OrganizationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_StrategicPlans_RoundId_ApplicantUserId",
                table: "StrategicPlans",
                columns: new[] { "RoundId", "ApplicantUserId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FellowshipReviewers");

            migrationBuilder.DropTable(
                name: "StrategicPlanReviews");

            migrationBuilder.DropTable(
                name: "StrategicPlans");

            migrationBuilder.DropTable(
                name: "FellowshipRounds");
        }
    }
}
