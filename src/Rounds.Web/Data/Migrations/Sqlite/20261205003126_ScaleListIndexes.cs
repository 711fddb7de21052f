using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt",
                table: "PostTarget",
                columns: new[] { "OrganizationId", "PublishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id",
                table: "Post",
                columns: new[] { "OrganizationId", "ScheduledAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Post_OrganizationId_UpdatedAt_Id",
                table: "Post",
                columns: new[] { "OrganizationId", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_OrganizationId_Action_At",
                table: "AuditEntries",
                columns: new[] { "OrganizationId", "Action", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PostTarget_OrganizationId_PublishedAt",
                table: "PostTarget");

            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_ScheduledAt_Id",
                table: "Post");

            migrationBuilder.DropIndex(
                name: "IX_Post_OrganizationId_UpdatedAt_Id",
                table: "Post");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_OrganizationId_Action_At",
                table: "AuditEntries");
        }
    }
}
