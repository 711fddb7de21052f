using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EngagementRosterPaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchName",
                table: "Physicians",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            // Rows already on the roster; rows written from now on are lowered by the app. SQLite's lower() knows
            // only ASCII letters: an accented capital in a name already here stays as it is until the name is changed.
            migrationBuilder.Sql("UPDATE \"Physicians\" SET \"SearchName\" = lower(\"Name\");");

            migrationBuilder.CreateIndex(
                name: "IX_Physicians_OrganizationId_Department_Name_Npi",
                table: "Physicians",
                columns: new[] { "OrganizationId", "Department", "Name", "Npi" });

            migrationBuilder.CreateIndex(
                name: "IX_Physicians_OrganizationId_Name_Npi",
                table: "Physicians",
                columns: new[] { "OrganizationId", "Name", "Npi" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Physicians_OrganizationId_Department_Name_Npi",
                table: "Physicians");

            migrationBuilder.DropIndex(
                name: "IX_Physicians_OrganizationId_Name_Npi",
                table: "Physicians");

            migrationBuilder.DropColumn(
                name: "SearchName",
                table: "Physicians");
        }
    }
}
