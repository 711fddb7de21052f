using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublishingLibraryPaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LibraryItem_OrganizationId_CreatedAt",
                table: "LibraryItem");

            migrationBuilder.CreateIndex(
                name: "IX_LibraryItem_OrganizationId_CreatedAt_Id",
                table: "LibraryItem",
                columns: new[] { "OrganizationId", "CreatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LibraryItem_OrganizationId_CreatedAt_Id",
                table: "LibraryItem");

            migrationBuilder.CreateIndex(
                name: "IX_LibraryItem_OrganizationId_CreatedAt",
                table: "LibraryItem",
                columns: new[] { "OrganizationId", "CreatedAt" });
        }
    }
}
