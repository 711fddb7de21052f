using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ClosesAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReviewsPerPlan = table.Column<int>(type: "INTEGER", nullable: false),
                    Rubric = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApplicantUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Sections = table.Column<string>(type: "TEXT", maxLength: 40000, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AttachmentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AttachmentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Attachment = table.Column<byte[]>(type: "BLOB", nullable: true)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ReviewerUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Scores = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    WeightedScore = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: true),
                    Recommendation = table.Column<int>(type: "INTEGER", nullable: true),
                    Comments = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true)
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
