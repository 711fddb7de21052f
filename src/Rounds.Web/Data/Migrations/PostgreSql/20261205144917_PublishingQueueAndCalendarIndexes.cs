using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class PublishingQueueAndCalendarIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt",
                table: "PostTarget");

            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id",
                table: "Post");

            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_Status_ScheduledAt",
                table: "Post");

            migrationBuilder.CreateIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt_PostId",
                table: "PostTarget",
                columns: new[] { "OrganizationId", "PublishedAt", "PostId" });

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id_Status",
                table: "Post",
                columns: new[] { "OrganizationId", "ScheduledAt", "Id", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_Status_ScheduledAt_SubmittedAt_Id",
                table: "Post",
                columns: new[] { "OrganizationId", "Status", "ScheduledAt", "SubmittedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt_PostId",
                table: "PostTarget");

            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id_Status",
                table: "Post");

            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_Status_ScheduledAt_SubmittedAt_Id",
                table: "Post");

            migrationBuilder.CreateIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt",
                table: "PostTarget",
                columns: new[] { "OrganizationId", "PublishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id",
                table: "Post",
                columns: new[] { "OrganizationId", "ScheduledAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_Status_ScheduledAt",
                table: "Post",
                columns: new[] { "OrganizationId", "Status", "ScheduledAt" });
        }
    }
}
