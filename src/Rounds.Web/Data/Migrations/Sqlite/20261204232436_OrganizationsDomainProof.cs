using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrganizationsDomainProof : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "VerificationToken",
                table: "OrganizationDomains",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "VerifiedAt",
                table: "OrganizationDomains",
                type: "INTEGER",
                nullable: true);

            // Domains claimed before proof was asked for become pending, each with a token of its own to prove it.
            migrationBuilder.Sql("UPDATE \"OrganizationDomains\" SET \"VerificationToken\" = lower(hex(randomblob(16)));");

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationDomains_Domain_Verified",
                table: "OrganizationDomains",
                column: "Domain",
                unique: true,
                filter: "\"VerifiedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OrganizationDomains_Domain_Verified",
                table: "OrganizationDomains");

            migrationBuilder.DropColumn(
                name: "VerificationToken",
                table: "OrganizationDomains");

            migrationBuilder.DropColumn(
                name: "VerifiedAt",
                table: "OrganizationDomains");
        }
    }
}
